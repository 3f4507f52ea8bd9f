using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>How activations are stored and computed, as the memory rules need to know it.</summary>
/// <param name="ComputeBytes">Bytes per element of matmul/conv inputs and outputs: 4 in fp32, 2 under fp16/bf16.</param>
/// <param name="StreamBytes">Bytes per element of the residual stream and normalisation inputs: autocast keeps
/// these in fp32 under mixed precision, so they stay 4 bytes there and drop to 2 only in pure bf16.</param>
/// <param name="FusedAttention">Scaled-dot-product/flash attention: the N×N scores are never stored.</param>
/// <param name="GradientCheckpointing">Transformer blocks keep only their input and recompute the rest.</param>
/// <param name="Training">False for inference: nothing is saved for a backward pass.</param>
public sealed record ActivationSettings(int ComputeBytes, int StreamBytes, bool FusedAttention, bool GradientCheckpointing, bool Training)
{
    public static ActivationSettings For(Precision precision, bool training, bool gradientCheckpointing, bool fusedAttention = true) => precision switch
    {
        Precision.Fp32 => new(4, 4, fusedAttention, gradientCheckpointing, training),
        Precision.Bf16 => new(2, 2, fusedAttention, gradientCheckpointing, training),
        _ => new(2, 4, fusedAttention, gradientCheckpointing, training),
    };
}

/// <summary>Per-sample activation memory of one stage.</summary>
/// <param name="SavedBytes">Kept from the forward pass until the backward pass consumes it.</param>
/// <param name="TransientBytes">The largest short-lived working set inside the stage (freed before the next stage).</param>
public readonly record struct ActivationEstimate(long SavedBytes, long TransientBytes)
{
    public static readonly ActivationEstimate None = new(0, 0);

    public static ActivationEstimate operator +(ActivationEstimate a, ActivationEstimate b) =>
        new(a.SavedBytes + b.SavedBytes, System.Math.Max(a.TransientBytes, b.TransientBytes));
}
