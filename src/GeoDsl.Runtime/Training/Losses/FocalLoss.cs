using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// Focal loss as TerraTorch configures it (segmentation_models_pytorch <c>FocalLoss("multiclass", normalized=True)</c>,
/// γ = 2, no α): for each class, a one-vs-rest sigmoid focal term (1 − p_t)^γ · BCE over the counted pixels, divided
/// by the sum of the focal terms (the "normalized" focal loss of Lin et al.'s follow-up, arXiv:1909.07829) and then
/// averaged over the pixels; the classes' losses are summed. The numbers are small by construction.
/// </summary>
public sealed class FocalLoss : TrainingLoss
{
    public FocalLoss(long ignoreIndex = -1, double gamma = 2.0, bool normalized = true)
        : base(ignoreIndex)
    {
        Gamma = gamma;
        Normalized = normalized;
    }

    public override string Name => "focal";

    public double Gamma { get; }

    public bool Normalized { get; }

    public override Tensor Compute(Tensor output, Tensor target)
    {
        RequireSegmentation(Name, output, target);
        using var scope = NewDisposeScope();
        long classes = output.shape[1];
        var counted = target.ne(IgnoreIndex).unsqueeze(1).to(output.dtype);
        var labels = SafeLabels(target, target.ne(IgnoreIndex));
        var truth = nn.functional.one_hot(labels, classes).permute(0, 3, 1, 2).to(output.dtype);

        var bce = nn.functional.binary_cross_entropy_with_logits(output, truth, reduction: nn.Reduction.None);
        var focalTerm = (1.0 - (-bce).exp()).pow(Gamma) * counted;
        var perPixel = focalTerm * bce;
        var sumDims = new long[] { 0, 2, 3 };
        var perClass = perPixel.sum(sumDims);
        if (Normalized)
        {
            perClass = perClass / focalTerm.sum(sumDims).clamp_min(1e-6);
        }

        var pixels = counted.sum().clamp_min(1.0);
        return (perClass / pixels).sum().MoveToOuterDisposeScope();
    }
}
