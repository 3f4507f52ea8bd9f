using TorchSharp;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// A <see cref="ConfusionMatrix"/> fed with logits [B, K, H, W] and labels [B, H, W]; it takes K from the first batch,
/// so the trainer needs no knowledge of the head.
/// </summary>
public sealed class SegmentationMetricAccumulator : IMetricAccumulator
{
    private readonly long ignoreIndex;
    private ConfusionMatrix? matrix;

    public SegmentationMetricAccumulator(long ignoreIndex) => this.ignoreIndex = ignoreIndex;

    /// <summary>The counts so far; null before the first batch.</summary>
    public ConfusionMatrix? Matrix => matrix;

    public void Add(torch.Tensor output, torch.Tensor target)
    {
        matrix ??= new ConfusionMatrix((int)output.shape[1], ignoreIndex);
        matrix.AddLogits(output, target);
    }

    public TaskMetrics Compute() => (matrix ?? new ConfusionMatrix(1, ignoreIndex)).Compute();
}
