using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Activation memory of one pre-norm ViT block (LayerNorm → qkv → attention → proj, LayerNorm → fc1 → GELU → fc2),
/// counting the tensors autograd keeps, after Korthikanti et al. 2022 (arXiv:2205.05198) without dropout
/// (memory-facts.md §1.4). Per token of width D with MLP width H:
/// <list type="bullet">
/// <item>always (what the backward pass through the block needs): both LayerNorm inputs (stream) with their mean and
/// rstd, q, k and v, the GELU input (H);</item>
/// <item>fused attention (PyTorch's scaled_dot_product_attention, as timm calls it): its output and a log-sum-exp per
/// head and token (fp32); materialised attention instead keeps softmax(QKᵀ), heads × N × N — in fp32 under autocast
/// (softmax runs in fp32 there) plus the 16-bit copy the following matmul keeps;</item>
/// <item>the inputs of qkv, proj, fc1 (D) and fc2 (H) only where the layer's weight trains or it carries a LoRA adapter
/// (<see cref="ActivationSettings.KeepsInputOf"/>): a frozen linear layer needs only its weight to pass the gradient on;</item>
/// <item>each adapter's extras (<see cref="ActivationSettings.AdapterBytes"/>).</item>
/// </list>
/// In 16-bit this is Korthikanti's 34·sbh without the two dropout masks (2 bytes) plus the fused-attention output (2):
/// 34 bytes per token and unit of D for D = H/4.
/// </summary>
public static class TransformerActivations
{
    /// <summary>Tokens per sample of the first output tensor (all ViT outputs share it).</summary>
    public static long Tokens(FeatureShape output) => output.Tensors[0][0];

    public static ActivationEstimate Block(long tokens, long width, long heads, long mlpHidden, ActivationSettings settings)
    {
        long stream = settings.StreamBytes;
        long compute = settings.ComputeBytes;
        long t = tokens;

        // Transient: the block's input, the qkv output, the MLP hidden twice (fc1 out, GELU out); materialised attention
        // also holds the raw scores and the softmax (in fp32 under autocast) at once.
        long scoresTransient = settings.FusedAttention ? 0 : heads * t * t * (compute + (2 * System.Math.Max(stream, compute)));
        long transient = (t * width * stream) + (3 * t * width * compute) + (2 * t * mlpHidden * compute) + scoresTransient;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, transient);
        }

        long layerNormStatistics = 2 * t * 4;
        long norms = 2 * ((t * width * stream) + layerNormStatistics);
        long qkv = 3 * t * width * compute;
        long attention = settings.FusedAttention
            ? (t * width * compute) + (heads * t * 4)
            : heads * t * t * (stream != compute ? stream + compute : compute);
        long gelu = t * mlpHidden * compute;

        long linearInputs = Input("qkv", width) + Input("proj", width) + Input("fc1", width) + Input("fc2", mlpHidden);
        long adapters = settings.AdapterBytes("qkv", t, width) + settings.AdapterBytes("proj", t, width)
            + settings.AdapterBytes("fc1", t, width) + settings.AdapterBytes("fc2", t, mlpHidden);
        return new ActivationEstimate(norms + qkv + attention + gelu + linearInputs + adapters, transient);

        long Input(string module, long features) => settings.KeepsInputOf(module) ? t * features * compute : 0;
    }

    /// <summary>
    /// What gradient checkpointing keeps of one block (its input, in the stream's precision) and the working set of
    /// recomputing it in the backward pass (the block's ordinary saved tensors, alive while its backward runs).
    /// </summary>
    public static ActivationEstimate Checkpointed(long tokens, long width, ActivationEstimate block, ActivationSettings settings) =>
        settings.Training
            ? new ActivationEstimate(tokens * width * settings.StreamBytes, System.Math.Max(block.TransientBytes, block.SavedBytes))
            : new ActivationEstimate(0, block.TransientBytes);
}
