using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// A loss on a model's raw output and its targets, reduced to a scalar that can be back-propagated. Segmentation
/// losses take logits [B, K, H, W] and labels [B, H, W] (int64) in which <see cref="IgnoreIndex"/> marks pixels that
/// do not count.
/// </summary>
public abstract class TrainingLoss
{
    protected TrainingLoss(long ignoreIndex) => IgnoreIndex = ignoreIndex;

    /// <summary>The name used in a <c>train { loss = … }</c> block.</summary>
    public abstract string Name { get; }

    public long IgnoreIndex { get; }

    public abstract Tensor Compute(Tensor output, Tensor target);

    /// <summary>Checks the usual segmentation layout, so a wrong target fails here with both shapes, not deep inside a kernel.</summary>
    protected static void RequireSegmentation(string loss, Tensor logits, Tensor labels)
    {
        if (logits.dim() != 4 || labels.dim() != 3 || logits.shape[0] != labels.shape[0]
            || logits.shape[2] != labels.shape[1] || logits.shape[3] != labels.shape[2])
        {
            throw new System.ArgumentException(
                $"The {loss} loss takes logits [B, K, H, W] and labels [B, H, W]; got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].");
        }
    }

    /// <summary>Labels with ignored pixels set to class 0, so one-hot and gather work; callers mask those pixels out.</summary>
    protected Tensor SafeLabels(Tensor labels, Tensor counted) => labels.masked_fill(counted.logical_not(), 0);
}
