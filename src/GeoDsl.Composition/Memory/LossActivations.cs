namespace GeoDsl.Composition.Memory;

/// <summary>
/// The loss's memory per element of a head's prediction at label resolution (classes × H × W for a pixel-wise model,
/// classes for a classifier). A pixel-wise prediction is resized to the label size before the loss (TerraTorch's
/// pixel-wise models, mmseg's <c>loss_by_feat</c>), and the losses run in fp32 under autocast (log_softmax, softmax and
/// the losses are on its fp32 list), so for many classes these buffers are a large part of the peak (memory-facts.md
/// §1.8: mmseg's UPerNet R-50 needs 8.1 GB with 150 classes and 6.4 GB with 21 at the same crop).
/// </summary>
/// <param name="Saved">Bytes per element kept until backward, per head.</param>
/// <param name="Forming">Bytes per element alive besides <paramref name="Saved"/> while a head's loss is formed: the
/// upsampled logits (and their fp32 copy under autocast) and the loss's temporaries.</param>
/// <param name="Backward">Bytes per element alive besides everything saved when the backward pass starts. Measured, not
/// derived: 129 more classes at 4 × 512² pixels raise mmseg's UPerNet R-50 peak by 1.7 GB (memory-facts.md §2, M1 vs M3),
/// about three fp32 buffers of classes × H × W — two saved log-probabilities (main and auxiliary head) and one more; the
/// CPU measurement of the same model shows 2.8 (bench/memory/cpu_saved_tensors.txt). So one fp32 gradient buffer.</param>
public sealed record LossActivations(double Saved, double Forming, double Backward)
{
    /// <summary>The rule for a loss (TerraTorch's names), with predictions in <paramref name="settings"/>' compute precision.</summary>
    public static LossActivations For(string loss, ActivationSettings settings)
    {
        // The upsampled logits, and under autocast their fp32 copy.
        double logits = settings.ComputeBytes + (settings.ComputeBytes == 4 ? 0 : 4);
        return loss switch
        {
            // cross_entropy = log_softmax + nll_loss: the log-probabilities (fp32) are kept.
            "ce" or "bce" => new LossActivations(4, logits, 4),

            // smp Dice/Jaccard (multiclass, from logits): log_softmax(…).exp() keeps both, the float one-hot target is kept
            // by the products; the int64 one-hot exists while it is made. [derived from smp's losses, not measured]
            "dice" or "jaccard" => new LossActivations(12, logits + 8, 4),

            // smp FocalLoss (multiclass): a binary focal loss per class on [B, H, W] slices — BCE-with-logits, exp(-logpt),
            // (1 - pt)^γ and their product are kept per class: about five fp32 tensors per element. [derived]
            "focal" => new LossActivations(20, logits, 4),

            // Lovász-softmax: probabilities, per-class errors sorted with int64 permutation indices, the cumulative
            // Jaccard gradient. [derived]
            "lovasz" => new LossActivations(20, logits + 8, 4),

            // Regression losses: the difference (or its square) is kept.
            _ => new LossActivations(4, logits, 4),
        };
    }
}
