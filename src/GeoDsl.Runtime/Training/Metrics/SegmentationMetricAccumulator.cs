using TorchSharp;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// A <see cref="ConfusionMatrix"/> fed with logits [B, K, H, W] and labels [B, H, W] (or, for image classification,
/// [B, K] and [B]); it takes K from the first batch, so the trainer needs no knowledge of the head.
/// </summary>
public sealed class SegmentationMetricAccumulator : IMetricAccumulator
{
    private readonly long ignoreIndex;
    private readonly bool imageLevel;
    private ConfusionMatrix? matrix;

    /// <param name="imageLevel">Score as image classification (<see cref="ClassificationMetrics"/>) rather than per pixel.</param>
    public SegmentationMetricAccumulator(long ignoreIndex, bool imageLevel = false)
    {
        this.ignoreIndex = ignoreIndex;
        this.imageLevel = imageLevel;
    }

    /// <summary>The counts so far; null before the first batch.</summary>
    public ConfusionMatrix? Matrix => matrix;

    public void Add(torch.Tensor output, torch.Tensor target)
    {
        matrix ??= new ConfusionMatrix((int)output.shape[1], ignoreIndex);
        matrix.AddLogits(output, target);
    }

    public TaskMetrics Compute()
    {
        var counts = matrix ?? new ConfusionMatrix(1, ignoreIndex);
        return imageLevel ? ClassificationMetrics.From(counts) : counts.Compute();
    }

    /// <summary>[K, counts…]; empty before the first batch.</summary>
    public double[] SaveState() => matrix is null ? System.Array.Empty<double>() : [matrix.ClassCount, .. matrix.ToArray()];

    public void RestoreState(double[] state)
    {
        if (state.Length == 0)
        {
            matrix = null;
            return;
        }

        matrix = new ConfusionMatrix((int)state[0], ignoreIndex);
        matrix.Restore(state[1..]);
    }
}
