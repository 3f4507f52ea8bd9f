using System;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// Multi-label binary cross-entropy on logits (<c>nn.BCEWithLogitsLoss</c>, mean reduction): each class of each image
/// is its own yes/no question. Targets [B, K] hold 1, 0, or the ignore index for an unknown label, which is left out of
/// the mean.
/// </summary>
public sealed class BinaryCrossEntropyLoss : TrainingLoss
{
    public BinaryCrossEntropyLoss(long ignoreIndex = -1)
        : base(ignoreIndex)
    {
    }

    public override string Name => "bce";

    public override Tensor Compute(Tensor output, Tensor target)
    {
        if (output.dim() != 2 || !output.shape.AsSpan().SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"The bce loss takes logits [B, K] and multi-hot targets [B, K]; got [{string.Join(", ", output.shape)}] and [{string.Join(", ", target.shape)}].");
        }

        using var scope = NewDisposeScope();
        var counted = target.ne(IgnoreIndex).to(output.dtype);
        var truth = target.to(output.dtype) * counted;
        var perLabel = nn.functional.binary_cross_entropy_with_logits(output, truth, reduction: nn.Reduction.None) * counted;
        return (perLabel.sum() / counted.sum().clamp_min(1.0)).MoveToOuterDisposeScope();
    }
}
