using System;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>The regression losses of TerraTorch's PixelwiseRegressionTask.</summary>
public enum RegressionLossKind
{
    /// <summary>Mean squared error.</summary>
    Mse,

    /// <summary>Mean absolute error.</summary>
    Mae,

    /// <summary>The square root of the mean squared error.</summary>
    Rmse,

    /// <summary>Huber loss with δ = 1 (torch's default): ½e² where |e| &lt; 1, |e| − ½ elsewhere.</summary>
    Huber,
}

/// <summary>
/// Pixel-wise regression loss over the pixels that count: targets equal to the ignore index (TerraTorch's masking)
/// or not finite (nodata read as NaN) are left out of both the sum and the count. Output [B, 1, H, W] or [B, H, W]
/// against targets [B, H, W]; with no pixel counted the loss is 0 (with a gradient of 0), not NaN.
/// </summary>
public sealed class MaskedRegressionLoss : TrainingLoss
{
    public MaskedRegressionLoss(RegressionLossKind kind, long ignoreIndex = -1)
        : base(ignoreIndex) => Kind = kind;

    public RegressionLossKind Kind { get; }

    public override string Name => Kind.ToString().ToLowerInvariant();

    public override Tensor Compute(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var prediction = Align(output, target);
        var counted = Counted(target);
        var safeTarget = target.to(prediction.dtype).masked_fill(counted.logical_not(), 0);
        var error = (prediction - safeTarget) * counted;
        var pixels = counted.sum().clamp_min(1.0);
        var absolute = error.abs();
        var loss = Kind switch
        {
            RegressionLossKind.Mse => error.square().sum() / pixels,
            RegressionLossKind.Mae => absolute.sum() / pixels,
            // sqrt has an infinite slope at 0; the floor keeps a perfect batch from producing NaN gradients, and a batch
            // without counted pixels is 0 like the others.
            RegressionLossKind.Rmse => (error.square().sum() / pixels).clamp_min(1e-12).sqrt() * counted.sum().gt(0),
            RegressionLossKind.Huber => where(absolute.lt(1.0), 0.5 * error.square(), absolute - 0.5).mul(counted).sum() / pixels,
            _ => throw new InvalidOperationException($"Unknown regression loss {Kind}."),
        };
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Pixels whose target is finite and not the ignore index.</summary>
    public Tensor Counted(Tensor target) => target.isfinite().logical_and(target.ne(IgnoreIndex)).to(ScalarType.Float32);

    /// <summary>The output with its single channel dropped, checked against the target's shape.</summary>
    public static Tensor Align(Tensor output, Tensor target)
    {
        var prediction = output.dim() == target.dim() + 1 && output.shape[1] == 1 ? output.squeeze(1) : output;
        if (!prediction.shape.AsSpan().SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"A regression output [{string.Join(", ", output.shape)}] does not match targets [{string.Join(", ", target.shape)}]; " +
                "the model predicts one value per pixel, so targets are [B, H, W] at the output's size.");
        }

        return prediction;
    }
}
