using System.Globalization;
using GeoDsl.Composition.Specs;
using TorchSharp;

namespace GeoDsl.Runtime.Training;

/// <summary>The settings a run uses: the model's <c>train { }</c> block with the run's <see cref="TrainingOptions"/> applied.</summary>
public sealed record TrainingSettings(
    int Epochs,
    int BatchSize,
    string Optimizer,
    double LearningRate,
    LearningRateSchedule Schedule,
    string Loss,
    long IgnoreIndex,
    bool FreezeBackbone,
    bool FreezeDecoder,
    int Seed,
    Precision Precision,
    torch.Device Device)
{
    /// <summary>Batches whose gradients are summed before each optimizer step.</summary>
    public int AccumulateGradBatches { get; init; } = 1;

    /// <summary>The gradients' global L2 norm is clipped to this before each step; 0 for none.</summary>
    public double GradientClipValue { get; init; }

    /// <summary>Epochs without a better score before the run stops; 0 never stops early.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Per-stage learning rates; null entries use <see cref="LearningRate"/>.</summary>
    public StageLearningRates StageLearningRates { get; init; } = new(null, null, null, null);

    /// <summary>The train block's scheduler, or null.</summary>
    public ObjectValue? Scheduler { get; init; }

    public static TrainingSettings Resolve(ModelSpec spec, TrainingOptions options)
    {
        var train = spec.Train;
        int epochs = options.Epochs ?? train.Epochs;
        int batchSize = options.BatchSize ?? train.BatchSize;
        int accumulate = options.AccumulateGradBatches ?? train.AccumulateGradBatches;
        if (epochs < 1)
        {
            throw new TrainingException($"A run trains at least one epoch; {epochs} were asked for.");
        }

        if (batchSize < 1)
        {
            throw new TrainingException($"A batch holds at least one chip; the batch size is {batchSize}.");
        }

        if (accumulate < 1)
        {
            throw new TrainingException($"accumulate_grad_batches counts batches per optimizer step, at least 1; it is {accumulate}.");
        }

        double lr = options.LearningRate ?? train.LearningRate;
        return new TrainingSettings(epochs, batchSize, train.Optimizer.Name, lr, options.Schedule, train.Loss, train.IgnoreIndex,
            train.FreezeBackbone, train.FreezeDecoder, options.Seed ?? train.Seed, train.Precision, options.Device ?? torch.CPU)
        {
            AccumulateGradBatches = accumulate,
            GradientClipValue = options.GradientClipValue ?? train.GradientClipValue,
            EarlyStoppingPatience = options.EarlyStoppingPatience ?? train.EarlyStoppingPatience,
            StageLearningRates = train.StageLearningRates ?? new StageLearningRates(null, null, null, null),
            Scheduler = train.Scheduler,
        };
    }

    /// <summary>"12 epochs, batch 8, adamw lr 0.001 (cosine), loss dice, seed 0, cpu".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Epochs} epochs, batch {BatchSize}{(AccumulateGradBatches > 1 ? $" × {AccumulateGradBatches} accumulated" : "")}, {Optimizer} lr {LearningRate:G3}{ScheduleText}, " +
        $"loss {Loss}, seed {Seed}{(FreezeBackbone ? ", backbone frozen" : "")}{(FreezeDecoder ? ", decoder frozen" : "")}" +
        $"{(GradientClipValue > 0 ? $", gradients clipped at {GradientClipValue:G3}" : "")}, {Device.type.ToString().ToLowerInvariant()}");

    private string ScheduleText => Scheduler is { } s ? " (" + s.ToSource() + ")" : Schedule == LearningRateSchedule.Constant ? "" : " (" + Schedule.ToString().ToLowerInvariant() + ")";
}
