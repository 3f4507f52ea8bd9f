using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>How activations are stored and computed in one stage, as the memory rules need to know it.</summary>
/// <param name="ComputeBytes">Bytes per element of matmul/conv inputs and outputs: 4 in fp32, 2 under fp16/bf16. Under
/// torch autocast, convolution networks stay in 16 bits throughout (BatchNorm and ReLU keep their input's type).</param>
/// <param name="StreamBytes">Bytes per element of the residual stream and normalisation inputs of transformer blocks:
/// autocast runs layer_norm in fp32 and fp32 + fp16 adds promote to fp32, so the stream stays 4 bytes under mixed
/// precision and drops to 2 only in pure bf16.</param>
/// <param name="FusedAttention">Scaled-dot-product/flash attention: the N×N scores are never stored.</param>
/// <param name="GradientCheckpointing">Transformer blocks keep only their input and recompute the rest.</param>
/// <param name="Training">The backward pass runs through this stage (its weights, adapters inside it, or anything
/// before it train). False for inference and for a frozen backbone: nothing is saved.</param>
public sealed record ActivationSettings(int ComputeBytes, int StreamBytes, bool FusedAttention, bool GradientCheckpointing, bool Training)
{
    public static ActivationSettings For(Precision precision, bool training, bool gradientCheckpointing, bool fusedAttention = true) => precision switch
    {
        Precision.Fp32 => new(4, 4, fusedAttention, gradientCheckpointing, training),
        Precision.Bf16 => new(2, 2, fusedAttention, gradientCheckpointing, training),
        _ => new(2, 4, fusedAttention, gradientCheckpointing, training),
    };

    /// <summary>
    /// The stage's own weights get gradients. When false (a frozen decoder, LoRA's frozen base) but <see cref="Training"/>
    /// holds, the gradient still flows through to earlier stages: normalisations and activations keep what their
    /// backward needs, but a linear or convolution no longer keeps its input, which only its weight gradient uses.
    /// </summary>
    public bool TrainsWeights { get; init; } = true;

    /// <summary>LoRA adapters inside this stage (the backbone under <c>peft_config</c>), or null.</summary>
    public LoraSpec? Adapters { get; init; }

    /// <summary>
    /// Whether the linear layer with this role (qkv, proj, fc1, fc2) keeps its input for backward: its weight trains,
    /// or it carries a LoRA adapter whose A matrix needs that input for its gradient.
    /// </summary>
    public bool KeepsInputOf(string module) => Training && (TrainsWeights || (Adapters?.Targets(module) ?? false));

    /// <summary>Whether a convolution or linear layer without an adapter keeps its input (only its weight gradient needs it).</summary>
    public bool KeepsWeightInputs => Training && TrainsWeights;

    /// <summary>
    /// What one LoRA adapter on a linear layer with role <paramref name="module"/> keeps, per sample, beyond the layer's
    /// input (PEFT: <c>lora_B(lora_A(dropout(x))) · alpha / r</c>): A's output of rank width, and with
    /// <c>lora_dropout</c> &gt; 0 the dropped copy of the input it multiplies plus the dropout mask (1 byte per element).
    /// </summary>
    public long AdapterBytes(string module, long tokens, long inFeatures)
    {
        if (!Training || Adapters is not { } lora || !lora.Targets(module))
        {
            return 0;
        }

        long rankOutput = tokens * lora.Rank * ComputeBytes;
        long dropout = lora.Dropout > 0 ? tokens * inFeatures * (ComputeBytes + 1) : 0;
        return rankOutput + dropout;
    }
}

/// <summary>Per-sample activation memory of one stage.</summary>
/// <param name="SavedBytes">Kept from the forward pass until the backward pass consumes it.</param>
/// <param name="TransientBytes">The largest short-lived working set inside the stage (freed before the next stage).</param>
public readonly record struct ActivationEstimate(long SavedBytes, long TransientBytes)
{
    public static readonly ActivationEstimate None = new(0, 0);

    /// <summary>
    /// The cuDNN workspace of the stage's largest convolution, per sample (<see cref="ConvActivations.Workspace"/>): held
    /// while that convolution runs, forward or backward, on top of what is saved.
    /// </summary>
    public long ConvolutionWorkspaceBytes { get; init; }

    public static ActivationEstimate operator +(ActivationEstimate a, ActivationEstimate b) =>
        new(a.SavedBytes + b.SavedBytes, System.Math.Max(a.TransientBytes, b.TransientBytes))
        {
            ConvolutionWorkspaceBytes = System.Math.Max(a.ConvolutionWorkspaceBytes, b.ConvolutionWorkspaceBytes),
        };
}
