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
    /// When set, the run writes here: <c>history.csv</c> (one row per epoch), <c>steps.csv</c> (one row per batch),
    /// <c>tensorboard/</c> (event files), <c>last.ckpt</c> (to resume), <c>best.safetensors</c> (the weights of the best
    /// epoch so far; with LoRA, <c>best_adapters.safetensors</c>), <c>adapters.safetensors</c> and <c>curves.png</c>.
    /// </summary>
    public string? OutputFolder { get; init; }

    /// <summary>Auto: a live progress bar in a terminal, plain lines when output is redirected (CI, files); or forced, or off.</summary>
    public TrainingProgressMode Progress { get; init; } = TrainingProgressMode.Auto;

    /// <summary>Called after every epoch, after the epoch line is printed.</summary>
    public Action<EpochSummary>? EpochCompleted { get; init; }

    /// <summary>
    /// Stops the run between steps (at an optimizer-step boundary); with an output folder the run first writes
    /// <c>last.ckpt</c>, so <see cref="ResumeFrom"/> continues it. The report then holds the epochs completed so far.
    /// Wire it to Ctrl+C with <see cref="TrainingCancellation.OnCtrlC"/>.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// A checkpoint (<c>last.ckpt</c>, or the output folder holding it) to continue from: weights, optimizer, scheduler,
    /// position in the epoch and random state, so the continued run takes the steps the interrupted one would have.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>With an output folder, also write <c>last.ckpt</c> every this many optimizer steps (besides every epoch end); 0 for epoch ends only.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Replaces the train block's <c>accumulate_grad_batches</c>.</summary>
    public int? AccumulateGradBatches { get; init; }

    /// <summary>Replaces the train block's <c>gradient_clip_val</c>.</summary>
    public double? GradientClipValue { get; init; }

    /// <summary>Replaces the train block's <c>early_stopping_patience</c>.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Called after every training batch with its loss and learning rate.</summary>
    public Action<StepRecord>? StepCompleted { get; init; }

    /// <summary>With an output folder, write <c>curves.png</c> (loss and score per epoch) when the run ends.</summary>
    public bool WriteCurves { get; init; } = true;
}
