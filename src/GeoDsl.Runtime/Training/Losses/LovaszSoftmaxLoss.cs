using System.Collections.Generic;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// Lovász-softmax loss (Berman, Rannen Triki and Blaschko, CVPR 2018), a convex surrogate of 1 − IoU, as
/// segmentation_models_pytorch's multiclass <c>LovaszLoss</c>: over all counted pixels of the batch together, for each
/// class present in the labels, the errors |[y = c] − p_c| sorted in decreasing order dotted with the Lovász extension's
/// gradient of the sorted ground truth; the mean over those classes.
/// </summary>
public sealed class LovaszSoftmaxLoss : TrainingLoss
{
    public LovaszSoftmaxLoss(long ignoreIndex = -1)
        : base(ignoreIndex)
    {
    }

    public override string Name => "lovasz";

    public override Tensor Compute(Tensor output, Tensor target)
    {
        RequireSegmentation(Name, output, target);
        using var scope = NewDisposeScope();
        long classes = output.shape[1];
        var probabilities = output.softmax(1).permute(0, 2, 3, 1).reshape(-1, classes);
        var flatTarget = target.reshape(-1);
        var kept = flatTarget.ne(IgnoreIndex).nonzero().squeeze(1);
        if (kept.numel() == 0)
        {
            return (output.sum() * 0.0).MoveToOuterDisposeScope();
        }

        probabilities = probabilities.index_select(0, kept);
        var labels = flatTarget.index_select(0, kept);
        var losses = new List<Tensor>();
        for (long c = 0; c < classes; c++)
        {
            var foreground = labels.eq(c).to(output.dtype);
            if (foreground.sum().item<float>() == 0)
            {
                continue; // smp's classes="present": a class without pixels says nothing about its IoU
            }

            var errors = (foreground - probabilities.select(1, c)).abs();
            var (sorted, order) = errors.sort(0, descending: true);
            var gradient = LovaszGradient(foreground.index_select(0, order));
            losses.Add(sorted.dot(gradient));
        }

        return stack(losses).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of the Lovász extension of the Jaccard loss at the sorted ground truth (no gradient flows through it).</summary>
    private static Tensor LovaszGradient(Tensor sortedTruth)
    {
        using var noGrad = no_grad();
        var truthTotal = sortedTruth.sum();
        var intersection = truthTotal - sortedTruth.cumsum(0);
        var union = truthTotal + (1.0 - sortedTruth).cumsum(0);
        var jaccard = 1.0 - intersection / union;
        long n = jaccard.shape[0];
        if (n == 1)
        {
            return jaccard;
        }

        return cat(new[] { jaccard.narrow(0, 0, 1), jaccard.narrow(0, 1, n - 1) - jaccard.narrow(0, 0, n - 1) });
    }
}
