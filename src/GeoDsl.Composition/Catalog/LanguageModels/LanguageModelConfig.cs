using System.Collections.Generic;
using System.Globalization;

namespace GeoDsl.Composition.Catalog.LanguageModels;

/// <summary>How a decoder block is built, where it changes the parameter count or the activations.</summary>
public enum DecoderBlockStyle
{
    /// <summary>Llama / Qwen2 / InternLM2 / Phi-3 / Yi: RMSNorm before attention and before the SwiGLU MLP.</summary>
    PreNorm,

    /// <summary>Gemma 3: RMSNorm before and after both attention and MLP (four per block) and RMSNorm on q and k per head.</summary>
    SandwichNormQkNorm,

    /// <summary>Granite 4.0-H: most blocks are Mamba-2 mixers, a few are attention without positional encoding; every block's MLP is a top-k mixture of experts with a shared expert.</summary>
    HybridMamba2MoE,
}

/// <summary>Granite 4.0-H's hybrid layout: which blocks are Mamba-2, and the mixture of experts every block carries.</summary>
/// <param name="AttentionLayers">Blocks that are attention (the rest are Mamba-2).</param>
/// <param name="MambaHeads">Mamba-2 heads; the mixer's inner width is heads × <paramref name="MambaHeadDim"/>.</param>
/// <param name="MambaState">SSM state size per group.</param>
/// <param name="MambaGroups">B/C groups.</param>
/// <param name="MambaConvKernel">Depthwise causal convolution width.</param>
/// <param name="Experts">Routed experts per block, of which <paramref name="ExpertsPerToken"/> run per token.</param>
/// <param name="ExpertHidden">Each expert's SwiGLU width.</param>
/// <param name="SharedExpertHidden">The shared expert's SwiGLU width.</param>
public sealed record HybridLayout(
    int AttentionLayers,
    int MambaHeads,
    int MambaHeadDim,
    int MambaState,
    int MambaGroups,
    int MambaConvKernel,
    int Experts,
    int ExpertsPerToken,
    int ExpertHidden,
    int SharedExpertHidden);

/// <summary>
/// A decoder-only language model as data: the fields of its Hugging Face <c>config.json</c> that fix its shapes. The
/// parameter count is closed-form arithmetic over them (<see cref="LanguageModelCounts"/>), so a published total is a
/// check on the data, not an input.
/// </summary>
/// <param name="Name">The catalog name used in <c>language_model …</c>.</param>
/// <param name="HuggingFaceId">The checkpoint whose config the numbers come from.</param>
/// <param name="Hidden">hidden_size.</param>
/// <param name="Layers">num_hidden_layers.</param>
/// <param name="Heads">num_attention_heads.</param>
/// <param name="KvHeads">num_key_value_heads (grouped-query attention when below <paramref name="Heads"/>).</param>
/// <param name="HeadDim">head_dim (hidden / heads unless the config sets it).</param>
/// <param name="Intermediate">intermediate_size of the SwiGLU MLP (gate, up: hidden → intermediate; down back).</param>
/// <param name="Vocab">Rows of the embedding matrix (vocab_size).</param>
/// <param name="TiedEmbeddings">tie_word_embeddings: the output projection reuses the embedding matrix.</param>
/// <param name="QkvBias">Biases on the query, key and value projections (Qwen2).</param>
/// <param name="ContextLength">max_position_embeddings / the trained context.</param>
/// <param name="Source">Where the shape fields come from.</param>
public sealed record LanguageModelConfig(
    string Name,
    string HuggingFaceId,
    int Hidden,
    int Layers,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Intermediate,
    int Vocab,
    bool TiedEmbeddings,
    bool QkvBias,
    int ContextLength,
    string Source,
    DecoderBlockStyle Style = DecoderBlockStyle.PreNorm,
    HybridLayout? Hybrid = null)
{
    /// <summary>rope_theta of the config: the base of the rotary position frequencies; null where the catalog has no sourced value (or the model uses no rotary positions).</summary>
    public double? RopeTheta { get; init; }

    /// <summary>The linear layers of one attention block by PEFT's usual target names, as (name, in, out).</summary>
    public IReadOnlyList<(string Module, long In, long Out)> AttentionLinears => new[]
    {
        ("q_proj", (long)Hidden, (long)Heads * HeadDim),
        ("k_proj", (long)Hidden, (long)KvHeads * HeadDim),
        ("v_proj", (long)Hidden, (long)KvHeads * HeadDim),
        ("o_proj", (long)Heads * HeadDim, (long)Hidden),
    };

    /// <summary>The SwiGLU MLP's linear layers as (name, in, out); for a mixture of experts, the shared expert's.</summary>
    public IReadOnlyList<(string Module, long In, long Out)> MlpLinears
    {
        get
        {
            long width = Hybrid?.SharedExpertHidden ?? Intermediate;
            return new[] { ("gate_proj", (long)Hidden, width), ("up_proj", (long)Hidden, width), ("down_proj", width, (long)Hidden) };
        }
    }

    /// <summary>The MLP width a token passes through: the dense intermediate size, or the shared expert plus the k routed experts.</summary>
    public long ActiveMlpWidth => Hybrid is { } h ? h.SharedExpertHidden + ((long)h.ExpertsPerToken * h.ExpertHidden) : Intermediate;

    /// <summary>"hidden 2048, 36 layers, 16 heads (2 KV), MLP 11008, vocab 151,936, tied embeddings".</summary>
    public string Describe() =>
        $"hidden {Hidden}, {Layers} layers, {Heads} heads ({KvHeads} KV), MLP {Intermediate}, vocab {Vocab.ToString("N0", CultureInfo.InvariantCulture)}, {(TiedEmbeddings ? "tied" : "untied")} embeddings"
        + (Hybrid is { } h ? $", {Layers - h.AttentionLayers} Mamba-2 + {h.AttentionLayers} attention blocks, {h.Experts} experts (top {h.ExpertsPerToken})" : string.Empty);
}
