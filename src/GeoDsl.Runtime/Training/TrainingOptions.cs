using System;
using System.Threading;
using GeoDsl.Runtime.Training.Progress;
using TorchSharp;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// What a run may change about the model's <c>train { }</c> block, and how it reports. Every property left null
/// keeps the train block's value.
/// </summary>
public sealed record TrainingOptions
{
    public int? Epochs { get; init; }

    public int? BatchSize { get; init; }

    /// <summary>Replaces the optimizer's <c>lr</c>.</summary>
    public double? LearningRate { get; init; }

    /// <summary>How the learning rate moves over the run; the train block has no schedule, so the default keeps it constant.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Where to train; CPU when null.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Seeds dropout and drop path (torch.manual_seed) and the order of training chips.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// When set, the run writes here: <c>history.csv</c> (one row per epoch) and <c>best.safetensors</c> (the weights of
    /// the best epoch so far).
    /// </summary>
    public string? OutputFolder { get; init; }

    /// <summary>Auto: a live progress bar in a terminal, plain lines when output is redirected (CI, files); or forced, or off.</summary>
    public TrainingProgressMode Progress { get; init; } = TrainingProgressMode.Auto;

    /// <summary>Called after every epoch, after the epoch line is printed.</summary>
    public Action<EpochSummary>? EpochCompleted { get; init; }

    /// <summary>Stops the run between steps; the report then holds the epochs completed so far.</summary>
    public CancellationToken Cancellation { get; init; }
}
