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

    /// <summary>The last completed epoch.</summary>
    public EpochSummary? LastEpoch => Epochs.Count > 0 ? Epochs[^1] : null;
}
