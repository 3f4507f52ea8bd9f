using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// Soft Jaccard (IoU) loss: per class 1 − Σp·t / (Σ(p + t) − Σp·t) (see <see cref="SoftOverlapLoss"/>). TerraTorch
/// refuses <c>jaccard</c> together with an ignore index; here ignored pixels are simply left out, as for Dice.
/// </summary>
public sealed class JaccardLoss : SoftOverlapLoss
{
    public JaccardLoss(long ignoreIndex = -1)
        : base(ignoreIndex)
    {
    }

    public override string Name => "jaccard";

    protected override Tensor Score(Tensor intersection, Tensor cardinality) => intersection / (cardinality - intersection).clamp_min(Epsilon);
}
