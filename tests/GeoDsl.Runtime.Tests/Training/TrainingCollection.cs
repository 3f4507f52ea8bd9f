namespace GeoDsl.Runtime.Tests.Training;

/// <summary>
/// Trainer tests seed torch's process-wide generator and then build a model; run alone so that no test running in
/// parallel draws from that generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection : ICollectionFixture<TinyWaterTraining>
{
    public const string Name = "training";
}
