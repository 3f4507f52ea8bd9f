using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// A segmentation loss applied to image-level classification: logits [B, K] and labels [B] are the one-pixel case of
/// [B, K, 1, 1] and [B, 1, 1], so ce (class weights, ignore index) and focal mean the same thing for both tasks and
/// exist once.
/// </summary>
public sealed class ImageLabelLoss : TrainingLoss
{
    public ImageLabelLoss(TrainingLoss pixelLoss)
        : base(pixelLoss.IgnoreIndex) => PixelLoss = pixelLoss;

    public TrainingLoss PixelLoss { get; }

    public override string Name => PixelLoss.Name;

    public override Tensor Compute(Tensor output, Tensor target)
    {
        if (output.dim() != 2 || target.dim() != 1 || output.shape[0] != target.shape[0])
        {
            throw new System.ArgumentException(
                $"The {Name} classification loss takes logits [B, K] and labels [B]; got [{string.Join(", ", output.shape)}] and [{string.Join(", ", target.shape)}].");
        }

        return PixelLoss.Compute(output.unsqueeze(-1).unsqueeze(-1), target.unsqueeze(-1).unsqueeze(-1));
    }
}
