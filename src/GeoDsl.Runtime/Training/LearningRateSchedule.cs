namespace GeoDsl.Runtime.Training;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateSchedule
{
    /// <summary>The optimizer's rate throughout (TerraTorch's default without a scheduler).</summary>
    Constant,

    /// <summary>Cosine annealing from the optimizer's rate towards zero over the run's epochs, stepped once per epoch.</summary>
    Cosine,
}
