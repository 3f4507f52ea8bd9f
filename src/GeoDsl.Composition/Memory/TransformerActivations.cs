using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Activation memory of one pre-norm ViT block (LayerNorm → qkv → attention → proj, LayerNorm → fc1 → GELU → fc2),
/// counting the tensors autograd keeps, after Korthikanti et al. 2022 (arXiv:2205.05198) without dropout
/// (memory-facts.md §1.4). Per token of width D with MLP width H:
/// norm1 input (stream), qkv input, q, k, v, attention output, proj input, norm2 input (stream), fc1 input,
/// GELU input (H) and fc2 input (H). Materialised attention adds the softmax output, heads × N × N.
/// </summary>
public static class TransformerActivations
{
    /// <summary>Tokens per sample of the first output tensor (all ViT outputs share it).</summary>
    public static long Tokens(FeatureShape output) => output.Tensors[0][0];

    public static ActivationEstimate Block(long tokens, long width, long heads, long mlpHidden, ActivationSettings settings)
    {
        long stream = 2 * tokens * width * settings.StreamBytes;
        long compute = ((6 * tokens * width) + (2 * tokens * mlpHidden)) * settings.ComputeBytes;
        long scores = settings.FusedAttention ? 0 : heads * tokens * tokens * settings.ComputeBytes;

        // Fused attention keeps a log-sum-exp per head and token (fp32) instead of the scores.
        long logSumExp = settings.FusedAttention ? heads * tokens * 4 : 0;
        long saved = stream + compute + scores + logSumExp;

        // Working set while the block runs: its input, the qkv output, and the MLP hidden twice (fc1 out, GELU out);
        // materialised attention also holds the score matrix and its softmax.
        long transient = (tokens * width * settings.StreamBytes)
            + (3 * tokens * width * settings.ComputeBytes)
            + (2 * tokens * mlpHidden * settings.ComputeBytes)
            + (settings.FusedAttention ? 0 : 2 * heads * tokens * tokens * settings.ComputeBytes);
        return new ActivationEstimate(settings.Training ? saved : 0, transient);
    }
}
