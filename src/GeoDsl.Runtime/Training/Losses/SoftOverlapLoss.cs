using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// What the Dice and Jaccard losses share (segmentation_models_pytorch's multiclass <c>DiceLoss</c>/<c>JaccardLoss</c>,
/// which TerraTorch uses): softmax probabilities and one-hot labels with ignored pixels zeroed in both, intersection
/// and cardinality summed over the batch and the pixels per class, 1 − score per class, classes without a true pixel
/// in the batch contributing 0, and the mean over all classes.
/// </summary>
public abstract class SoftOverlapLoss : TrainingLoss
{
    /// <summary>The floor of a score's denominator (smp's eps), so an empty class does not divide by zero.</summary>
    public const double Epsilon = 1e-7;

    protected SoftOverlapLoss(long ignoreIndex)
        : base(ignoreIndex)
    {
    }

    public override Tensor Compute(Tensor output, Tensor target)
    {
        RequireSegmentation(Name, output, target);
        using var scope = NewDisposeScope();
        long batch = output.shape[0];
        long classes = output.shape[1];
        var counted = target.ne(IgnoreIndex).reshape(batch, 1, -1);
        var probabilities = output.log_softmax(1).exp().reshape(batch, classes, -1) * counted;
        var labels = SafeLabels(target, target.ne(IgnoreIndex)).reshape(batch, -1);
        var truth = nn.functional.one_hot(labels, classes).permute(0, 2, 1).to(output.dtype) * counted;

        var dims = new long[] { 0, 2 };
        var intersection = (probabilities * truth).sum(dims);
        var cardinality = (probabilities + truth).sum(dims);
        var perClass = 1.0 - Score(intersection, cardinality);
        var hasTruth = truth.sum(dims).gt(0).to(output.dtype);
        return (perClass * hasTruth).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The per-class soft score from Σ p·t and Σ (p + t).</summary>
    protected abstract Tensor Score(Tensor intersection, Tensor cardinality);
}
