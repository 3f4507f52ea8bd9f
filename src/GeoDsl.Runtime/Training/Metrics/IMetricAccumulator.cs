using TorchSharp;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Collects what a task's metrics need, batch by batch, so the scores describe the whole epoch rather than an
/// average of per-batch scores (which weighs a nearly empty batch as much as a full one).
/// </summary>
public interface IMetricAccumulator
{
    /// <summary>Adds one batch: the model's raw output and the targets, on any device.</summary>
    void Add(torch.Tensor output, torch.Tensor target);

    /// <summary>The scores over everything added so far.</summary>
    TaskMetrics Compute();

    /// <summary>The running sums as numbers, for a checkpoint taken in the middle of an epoch.</summary>
    double[] SaveState();

    /// <summary>Replaces the running sums with those <see cref="SaveState"/> gave.</summary>
    void RestoreState(double[] state);
}
