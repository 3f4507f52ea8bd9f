using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Runtime.Training;

/// <summary>A whole run: every epoch's summary, the best of them, and the time it took.</summary>
public sealed record TrainingReport(
    string ModelName,
    IReadOnlyList<EpochSummary> Epochs,
    TimeSpan TotalTime,
    bool Cancelled,
    string? OutputFolder,
    string? BestWeightsPath)
{
    /// <summary>
    /// The epoch with the best validation score (mIoU for segmentation); without validation data, the one with the
    /// lowest training loss. Null when no epoch completed.
    /// </summary>
    public EpochSummary? BestEpoch => Epochs.LastOrDefault(e => e.IsBest);

    /// <summary>Whether early stopping ended the run before its last epoch.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The checkpoint the run continued from, if it was resumed.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>The newest checkpoint the run wrote (<c>last.ckpt</c>), if any.</summary>
    public string? LastCheckpointPath { get; init; }

    /// <summary>Every training batch this run trained, in order.</summary>
    public IReadOnlyList<StepRecord> Steps { get; init; } = Array.Empty<StepRecord>();

    /// <summary>The LoRA adapters trained (still applied to the model), when the train block has a <c>peft_config</c>.</summary>
    public GeoDsl.Runtime.Adapters.LoraAdapters? Adapters { get; init; }

    /// <summary>The last completed epoch.</summary>
    public EpochSummary? LastEpoch => Epochs.Count > 0 ? Epochs[^1] : null;
}
