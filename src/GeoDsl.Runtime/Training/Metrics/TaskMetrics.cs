using System.Collections.Generic;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// The scores of one pass over a data set. Each task (segmentation now; regression and classification later) has its
/// own record; they share a primary score so the trainer can pick the best epoch without knowing the task.
/// </summary>
public abstract record TaskMetrics
{
    /// <summary>The name of the score the best epoch is chosen by, e.g. "mIoU".</summary>
    public abstract string PrimaryName { get; }

    /// <summary>The score the best epoch is chosen by.</summary>
    public abstract double Primary { get; }

    /// <summary>Whether a larger <see cref="Primary"/> is better (mIoU) or a smaller one (RMSE).</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>Every scalar score by name, for logs and CSV files.</summary>
    public abstract IReadOnlyDictionary<string, double> Scalars { get; }

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/> by this task's primary score; NaN never wins.</summary>
    public static bool IsBetter(TaskMetrics candidate, TaskMetrics? incumbent)
    {
        if (double.IsNaN(candidate.Primary))
        {
            return false;
        }

        if (incumbent is null || double.IsNaN(incumbent.Primary))
        {
            return true;
        }

        return candidate.HigherIsBetter ? candidate.Primary > incumbent.Primary : candidate.Primary < incumbent.Primary;
    }
}
