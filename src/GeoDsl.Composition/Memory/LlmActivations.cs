using GeoDsl.Composition.Catalog.LanguageModels;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Activation memory of one decoder block of a Llama/Qwen-style language model over a sequence of <c>s</c> tokens,
/// counting what autograd keeps (memory-facts.md §1.4, "Llama-style blocks": no dropout, RMSNorm, SwiGLU, GQA):
/// <list type="bullet">
/// <item>each RMSNorm's input (2 per block, 4 for Gemma 3) and its fp32 rstd;</item>
/// <item>fused attention (SDPA/flash): q, k, v after the rotary embedding, the output and an fp32 log-sum-exp per head and
/// token; materialised attention keeps the softmax, heads × s × s, instead of the log-sum-exp;</item>
/// <item>SwiGLU: the gate and up outputs and SiLU(gate) (3 × s × I);</item>
/// <item>the inputs of the linear layers only where the weight trains or carries a LoRA adapter (q/k/v share one input,
/// gate/up another; o_proj's input is the attention output, kept already; down_proj's is the SwiGLU product);</item>
/// <item>each adapter's rank-wide output (and dropout copy) via <see cref="ActivationSettings.AdapterBytes"/>.</item>
/// </list>
/// A Mamba-2 block of Granite 4.0-H is counted the same way with its in_proj output, convolution output and gated norm
/// input in place of attention, and the mixture's shared plus top-k experts in place of the dense MLP.
/// </summary>
public static class LlmActivations
{
    public static ActivationEstimate Block(LanguageModelConfig m, long s, ActivationSettings settings, bool attentionBlock = true)
    {
        long c = settings.ComputeBytes;
        long d = m.Hidden;
        long mlp = m.ActiveMlpWidth;
        long q = (long)m.Heads * m.HeadDim;
        long kv = (long)m.KvHeads * m.HeadDim;
        long transient = (s * d * settings.StreamBytes) + (3 * s * mlp * c) + (settings.FusedAttention ? 0 : m.Heads * s * s * 4);
        if (!settings.Training)
        {
            return new ActivationEstimate(0, transient);
        }

        int normCount = m.Style == DecoderBlockStyle.SandwichNormQkNorm ? 4 : 2;
        long norms = normCount * ((s * d * settings.StreamBytes) + (s * 4));
        long mixer;
        if (attentionBlock)
        {
            long attention = settings.FusedAttention ? (s * q * c) + (m.Heads * s * 4) : m.Heads * s * s * c;
            mixer = (s * (q + (2 * kv)) * c) + attention
                + (Keeps("q_proj") || Keeps("k_proj") || Keeps("v_proj") ? s * d * c : 0)
                + settings.AdapterBytes("q_proj", s, d) + settings.AdapterBytes("k_proj", s, d) + settings.AdapterBytes("v_proj", s, d) + settings.AdapterBytes("o_proj", s, q);
        }
        else
        {
            // Mamba-2: in_proj output [z, x, B, C, dt], the causal convolution's output and the gated norm's input; the chunked
            // scan's states (heads × head_dim × state per chunk) are small beside them at these widths.
            var h = m.Hybrid!;
            long inner = (long)h.MambaHeads * h.MambaHeadDim;
            long projected = (2 * inner) + (2L * h.MambaGroups * h.MambaState) + h.MambaHeads;
            mixer = (s * projected * c) + (2 * s * inner * c) + (settings.KeepsWeightInputs ? s * d * c : 0);
        }

        long swiglu = 3 * s * mlp * c;
        long mlpInputs = (Keeps("gate_proj") || Keeps("up_proj") ? s * d * c : 0) + (Keeps("down_proj") ? s * mlp * c : 0)
            + settings.AdapterBytes("gate_proj", s, d) + settings.AdapterBytes("up_proj", s, d) + settings.AdapterBytes("down_proj", s, mlp);
        return new ActivationEstimate(norms + mixer + swiglu + mlpInputs, transient);

        bool Keeps(string module) => settings.KeepsInputOf(module);
    }

    /// <summary>All blocks: per block, or with gradient checkpointing each block's input and one block recomputed at a time.</summary>
    public static ActivationEstimate Stack(LanguageModelConfig m, long s, ActivationSettings settings)
    {
        int attentionLayers = m.Hybrid?.AttentionLayers ?? m.Layers;
        int otherLayers = m.Layers - attentionLayers;
        var attention = Block(m, s, settings);
        var other = otherLayers > 0 ? Block(m, s, settings, attentionBlock: false) : ActivationEstimate.None;
        if (!settings.Training || !settings.GradientCheckpointing)
        {
            return new ActivationEstimate((attention.SavedBytes * attentionLayers) + (other.SavedBytes * otherLayers),
                System.Math.Max(attention.TransientBytes, other.TransientBytes));
        }

        var checkpointed = TransformerActivations.Checkpointed(s, m.Hidden, attention, settings);
        long recompute = System.Math.Max(checkpointed.TransientBytes, other.SavedBytes);
        return new ActivationEstimate(checkpointed.SavedBytes * m.Layers, recompute);
    }
}
