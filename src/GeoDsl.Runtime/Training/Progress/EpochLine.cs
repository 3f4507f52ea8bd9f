using System.Globalization;
using System.Text;
using GeoDsl.Runtime.Training.Metrics;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>The one line printed per epoch, the same in the live and the plain display so logs read alike.</summary>
public static class EpochLine
{
    /// <summary>e.g. "epoch  3/10  train loss 0.2134  val loss 0.1987  val mIoU 0.8123 (0.9512 / 0.6734)  14.2 s  35.1 samples/s  best".</summary>
    public static string Format(EpochSummary summary)
    {
        var line = new StringBuilder();
        int width = summary.Epochs.ToString(CultureInfo.InvariantCulture).Length;
        line.Append(CultureInfo.InvariantCulture, $"epoch {summary.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{summary.Epochs}");
        line.Append(CultureInfo.InvariantCulture, $"  train loss {summary.TrainLoss:F4}");
        if (summary.ValidationLoss is double validationLoss)
        {
            line.Append(CultureInfo.InvariantCulture, $"  val loss {validationLoss:F4}");
        }

        if (summary.ValidationMetrics is SegmentationMetrics segmentation)
        {
            line.Append("  val ").Append(segmentation.Describe());
        }
        else if (summary.ValidationMetrics is { } metrics)
        {
            line.Append(CultureInfo.InvariantCulture, $"  val {metrics.PrimaryName} {metrics.Primary:F4}");
        }
        else if (summary.TrainMetrics is { } train)
        {
            line.Append(CultureInfo.InvariantCulture, $"  train {train.PrimaryName} {train.Primary:F4}");
        }

        line.Append(CultureInfo.InvariantCulture, $"  {summary.Elapsed.TotalSeconds:F1} s  {summary.SamplesPerSecond:F1} samples/s");
        if (summary.IsBest)
        {
            line.Append("  best");
        }

        return line.ToString();
    }
}
