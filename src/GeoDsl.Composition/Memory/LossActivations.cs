namespace GeoDsl.Composition.Memory;

/// <summary>
/// The loss's memory per element of a head's prediction at label resolution (classes × H × W for a pixel-wise model,
/// classes for a classifier). A pixel-wise prediction is resized to the label size before the loss (TerraTorch's
/// pixel-wise models, mmseg's <c>loss_by_feat</c>), and the losses run in fp32 under autocast (log_softmax, softmax and
/// the losses are on its fp32 list), so for many classes these buffers are a large part of the peak (memory-facts.md
/// §1.8: mmseg's UPerNet R-50 needs 8.1 GB with 150 classes and 6.4 GB with 21 at the same crop).
/// </summary>
/// <param name="Saved">Bytes per element kept until backward, per head.</param>
/// <param name="Forward">Bytes per element alive at once while the loss is computed (the upsampled logits, their fp32 cast, the loss's own tensors).</param>
/// <param name="Backward">Bytes per element alive at once when its backward starts: the incoming gradient and the one it produces, in fp32.</param>
public sealed record LossActivations(double Saved, double Forward, double Backward)
{
    /// <summary>The rule for a loss (TerraTorch's names), with predictions in <paramref name="settings"/>' compute precision.</summary>
    public static LossActivations For(string loss, ActivationSettings settings)
    {
        // The upsampled logits, and under autocast their fp32 copy.
        double logits = settings.ComputeBytes + (settings.ComputeBytes == 4 ? 0 : 4);
        return loss switch
        {
            // cross_entropy = log_softmax + nll_loss: the log-probabilities (fp32) are kept; backward holds the gradient of
            // the log-probabilities and of the logits.
            "ce" or "bce" => new LossActivations(4, logits + 4, 8),

            // smp Dice/Jaccard (multiclass, from logits): log_softmax(…).exp() keeps both, the float one-hot target is kept
            // by the products; the int64 one-hot exists while it is made. [derived from smp's losses, not measured]
            "dice" or "jaccard" => new LossActivations(12, logits + 8 + 8, 8),

            // smp FocalLoss (multiclass): a binary focal loss per class on [B, H, W] slices — BCE-with-logits, exp(-logpt),
            // (1 - pt)^γ and their product are kept per class: about five fp32 tensors per element. [derived]
            "focal" => new LossActivations(20, logits + 8, 8),

            // Lovász-softmax: probabilities, per-class errors sorted with int64 permutation indices, the cumulative
            // Jaccard gradient. [derived]
            "lovasz" => new LossActivations(20, logits + 12, 8),

            // Regression losses: the difference (or its square) is kept.
            _ => new LossActivations(4, logits + 4, 8),
        };
    }
}
