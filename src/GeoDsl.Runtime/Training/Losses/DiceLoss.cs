using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>Soft Dice loss: per class 1 − 2·Σp·t / Σ(p + t) (see <see cref="SoftOverlapLoss"/>), ignored pixels left out.</summary>
public sealed class DiceLoss : SoftOverlapLoss
{
    public DiceLoss(long ignoreIndex = -1)
        : base(ignoreIndex)
    {
    }

    public override string Name => "dice";

    protected override Tensor Score(Tensor intersection, Tensor cardinality) => 2.0 * intersection / cardinality.clamp_min(Epsilon);
}
