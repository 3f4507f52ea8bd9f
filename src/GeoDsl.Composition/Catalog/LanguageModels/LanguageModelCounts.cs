using System.Linq;

namespace GeoDsl.Composition.Catalog.LanguageModels;

/// <summary>A language model's parameters by part.</summary>
/// <param name="Embedding">The input embedding, vocab × hidden.</param>
/// <param name="OutputHead">The separate output projection (lm_head), vocab × hidden; 0 when tied to the embedding.</param>
/// <param name="Blocks">All decoder blocks.</param>
/// <param name="FinalNorm">The norm before the output projection.</param>
/// <param name="InactiveExperts">Routed-expert weights a token does not pass through (mixture of experts only).</param>
/// <param name="Linear">Parameters in the blocks' linear weights (what 4-bit QLoRA quantises).</param>
public sealed record LanguageModelParameters(long Embedding, long OutputHead, long Blocks, long FinalNorm, long InactiveExperts, long Linear)
{
    public long Total => Embedding + OutputHead + Blocks + FinalNorm;

    /// <summary>Parameters a token passes through: the total less the routed experts it is not sent to.</summary>
    public long Active => Total - InactiveExperts;
}

/// <summary>
/// Closed-form parameter counts of the catalog's decoder-only language models, from their config fields. Hugging Face's
/// modules: q/k/v/o projections (biases on q, k, v only where <c>QkvBias</c>), a SwiGLU MLP without biases, RMSNorm
/// weights (two per block; four plus per-head q/k norms for Gemma 3), a final norm, and an output head that is the
/// embedding itself when tied. Granite 4.0-H adds Mamba-2 mixers and a mixture of experts (transformers'
/// <c>GraniteMoeHybrid</c> layout).
/// </summary>
public static class LanguageModelCounts
{
    /// <param name="tiedEmbeddings">Overrides the checkpoint's tie_word_embeddings (InternVL unties Qwen2.5's, for example).</param>
    public static LanguageModelParameters Of(LanguageModelConfig m, bool? tiedEmbeddings = null)
    {
        long d = m.Hidden;
        long embedding = (long)m.Vocab * d;
        long head = (tiedEmbeddings ?? m.TiedEmbeddings) ? 0 : embedding;
        long attentionLinear = m.AttentionLinears.Sum(l => l.In * l.Out);
        long attentionBias = m.QkvBias ? ((long)m.Heads + (2L * m.KvHeads)) * m.HeadDim : 0;
        long norms = m.Style == DecoderBlockStyle.SandwichNormQkNorm ? (4 * d) + (2L * m.HeadDim) : 2 * d;
        if (m.Hybrid is not { } hybrid)
        {
            long mlp = 3 * d * m.Intermediate;
            long block = attentionLinear + attentionBias + mlp + norms;
            return new LanguageModelParameters(embedding, head, block * m.Layers, d, 0, (attentionLinear + mlp) * m.Layers);
        }

        // Mamba-2 (transformers' GraniteMoeHybridMambaLayer): in_proj to [z, x, B, C, dt], a depthwise causal conv over
        // [x, B, C] with bias, per-head dt_bias, A_log and D, a gated RMSNorm over the inner width, out_proj.
        long inner = (long)hybrid.MambaHeads * hybrid.MambaHeadDim;
        long groupState = 2L * hybrid.MambaGroups * hybrid.MambaState;
        long inProjection = d * ((2 * inner) + groupState + hybrid.MambaHeads);
        long convolution = (inner + groupState) * (hybrid.MambaConvKernel + 1);
        long outProjection = inner * d;
        long mamba = inProjection + convolution + (3L * hybrid.MambaHeads) + inner + outProjection;

        // Every block's MLP: a router, routed experts (fused gate+up, then down) and a shared expert.
        long router = d * hybrid.Experts;
        long routed = (long)hybrid.Experts * 3 * d * hybrid.ExpertHidden;
        long shared = 3 * d * hybrid.SharedExpertHidden;
        long moe = router + routed + shared;
        int mambaLayers = m.Layers - hybrid.AttentionLayers;
        long blocks = (mambaLayers * (mamba + moe + norms)) + (hybrid.AttentionLayers * (attentionLinear + attentionBias + moe + norms));
        long inactive = m.Layers * (long)(hybrid.Experts - hybrid.ExpertsPerToken) * 3 * d * hybrid.ExpertHidden;
        long linear = (mambaLayers * (inProjection + outProjection)) + (hybrid.AttentionLayers * attentionLinear) + (m.Layers * (routed + shared + router));
        return new LanguageModelParameters(embedding, head, blocks, d, inactive, linear);
    }
}
