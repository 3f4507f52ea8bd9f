using System;
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
    public static TrainingSettings Resolve(ModelSpec spec, TrainingOptions options)
    {
        var train = spec.Train;
        int epochs = options.Epochs ?? train.Epochs;
        int batchSize = options.BatchSize ?? train.BatchSize;
        if (epochs < 1)
        {
            throw new TrainingException($"A run trains at least one epoch; {epochs} were asked for.");
        }

        if (batchSize < 1)
        {
            throw new TrainingException($"A batch holds at least one chip; the batch size is {batchSize}.");
        }

        double lr = options.LearningRate ?? train.LearningRate;
        return new TrainingSettings(epochs, batchSize, train.Optimizer.Name, lr, options.Schedule, train.Loss, train.IgnoreIndex,
            train.FreezeBackbone, train.FreezeDecoder, options.Seed ?? train.Seed, train.Precision, options.Device ?? torch.CPU);
    }

    /// <summary>"12 epochs, batch 8, adamw lr 0.001 (cosine), loss dice, seed 0, cpu".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Epochs} epochs, batch {BatchSize}, {Optimizer} lr {LearningRate:G3}{(Schedule == LearningRateSchedule.Constant ? "" : " (" + Schedule.ToString().ToLowerInvariant() + ")")}, " +
        $"loss {Loss}, seed {Seed}{(FreezeBackbone ? ", backbone frozen" : "")}{(FreezeDecoder ? ", decoder frozen" : "")}, {Device.type.ToString().ToLowerInvariant()}");
}
