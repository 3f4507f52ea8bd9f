using System;
using System.Linq;
using GeoDsl.Composition.Catalog.LanguageModels;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// Granite's scalar multipliers and layer placement, which the catalog does not carry. Defaults are neutral (1, and
/// 1/√head_dim for attention) because the Granite 4.0-H values could not be confirmed from a stored config.json; the
/// attention layers default to evenly spaced blocks (the checkpoint's <c>layer_types</c> list could not be confirmed either).
/// </summary>
public sealed record GraniteRuntimeOptions(
    double EmbeddingMultiplier = 1.0,
    double ResidualMultiplier = 1.0,
    double? AttentionMultiplier = null,
    double LogitsScaling = 1.0,
    int ChunkSize = 256,
    double RmsNormEps = 1e-5,
    int[]? AttentionLayerIndices = null);

/// <summary>
/// Granite 4.0-H (transformers' <c>GraniteMoeHybridForCausalLM</c>) from a catalog <see cref="LanguageModelConfig"/>
/// with a <see cref="HybridLayout"/>: blocks of RMSNorm → (Mamba-2 mixer or attention without positional encoding) →
/// scaled residual, RMSNorm → (top-k experts + shared expert) → scaled residual. Names: <c>model.embed_tokens</c>,
/// <c>model.layers.N.input_layernorm</c>, <c>….mamba.in_proj</c> / <c>….self_attn.q_proj</c>,
/// <c>….post_attention_layernorm</c>, <c>….block_sparse_moe.router.layer</c>, <c>….block_sparse_moe.input_linear</c>,
/// <c>….block_sparse_moe.output_linear</c>, <c>….shared_mlp.input_linear</c>/<c>output_linear</c>, <c>model.norm</c>,
/// <c>lm_head</c> when untied (read from transformers' modeling_granitemoehybrid.py). No generation cache: the Mamba
/// layers' recurrent step is not implemented here, so decoding recomputes the sequence.
/// </summary>
public sealed class GraniteMoeHybridForCausalLM : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly GraniteMoeHybridModel model;

    [ComponentName(Name = "lm_head")]
    private readonly Linear? lmHead;

    private readonly GraniteRuntimeOptions options;

    public GraniteMoeHybridForCausalLM(LanguageModelConfig config, GraniteRuntimeOptions? options = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GraniteMoeHybridForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Style != DecoderBlockStyle.HybridMamba2MoE || config.Hybrid is null)
        {
            throw new ArgumentException($"Language model `{config.Name}` is not a hybrid Mamba-2 / MoE model; build it with Qwen2ForCausalLM.", nameof(config));
        }

        this.options = options ?? new GraniteRuntimeOptions();
        Config = config;
        model = new GraniteMoeHybridModel(config, this.options, device, dtype);
        if (!config.TiedEmbeddings)
        {
            lmHead = nn.Linear(config.Hidden, config.Vocab, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public LanguageModelConfig Config { get; }

    /// <summary>[B, N] token ids → [B, N, vocab] logits (divided by logits_scaling, as Granite does).</summary>
    public override Tensor forward(Tensor inputIds)
    {
        var hidden = model.call(inputIds);
        var logits = lmHead is null ? nn.functional.linear(hidden, model.EmbedTokens.Weight) : lmHead.call(hidden);
        return logits / options.LogitsScaling;
    }
}

/// <summary>transformers' <c>GraniteMoeHybridModel</c>: <c>embed_tokens</c>, <c>layers</c>, <c>norm</c>.</summary>
public sealed class GraniteMoeHybridModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embed_tokens")]
    private readonly TokenEmbedding embedTokens;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<GraniteMoeHybridDecoderLayer> layers;

    [ComponentName(Name = "norm")]
    private readonly RmsNorm norm;

    private readonly double embeddingMultiplier;

    public GraniteMoeHybridModel(LanguageModelConfig config, GraniteRuntimeOptions options, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GraniteMoeHybridModel))
    {
        var hybrid = config.Hybrid!;
        var attention = options.AttentionLayerIndices ?? EvenlySpaced(config.Layers, hybrid.AttentionLayers);
        if (attention.Length != hybrid.AttentionLayers || attention.Any(i => i < 0 || i >= config.Layers) || attention.Distinct().Count() != attention.Length)
        {
            throw new ArgumentException(
                $"`{config.Name}` has {hybrid.AttentionLayers} attention blocks among {config.Layers}; AttentionLayerIndices must list that many distinct "
                + $"indices in 0 … {config.Layers - 1} (got [{string.Join(", ", attention)}]).", nameof(options));
        }

        embeddingMultiplier = options.EmbeddingMultiplier;
        embedTokens = new TokenEmbedding(config.Vocab, config.Hidden, device, dtype);
        var blocks = new GraniteMoeHybridDecoderLayer[config.Layers];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new GraniteMoeHybridDecoderLayer(config, attention.Contains(i), options, device, dtype);
        }

        layers = nn.ModuleList(blocks);
        norm = new RmsNorm(config.Hidden, options.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    public TokenEmbedding EmbedTokens => embedTokens;

    public override Tensor forward(Tensor inputIds)
    {
        var x = embedTokens.call(inputIds) * embeddingMultiplier;
        foreach (var layer in layers)
        {
            x = layer.call(x);
        }

        return norm.call(x);
    }

    // Block k·L/A + L/(2A) for k < A: one attention block in the middle of each of A equal spans.
    private static int[] EvenlySpaced(int layers, int attention) =>
        Enumerable.Range(0, attention).Select(k => (k * layers / attention) + (layers / (2 * attention))).ToArray();
}

/// <summary>One Granite 4.0-H block: a Mamba-2 mixer or position-free attention, then experts plus the shared expert.</summary>
public sealed class GraniteMoeHybridDecoderLayer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "input_layernorm")]
    private readonly RmsNorm inputLayernorm;

    [ComponentName(Name = "post_attention_layernorm")]
    private readonly RmsNorm postAttentionLayernorm;

    [ComponentName(Name = "mamba")]
    private readonly Mamba2Mixer? mamba;

    [ComponentName(Name = "self_attn")]
    private readonly GroupedQueryAttention? selfAttn;

    [ComponentName(Name = "block_sparse_moe")]
    private readonly TopKMixtureOfExperts blockSparseMoe;

    [ComponentName(Name = "shared_mlp")]
    private readonly SharedExpertMlp sharedMlp;

    private readonly double residualMultiplier;

    public GraniteMoeHybridDecoderLayer(LanguageModelConfig config, bool attention, GraniteRuntimeOptions options, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GraniteMoeHybridDecoderLayer))
    {
        var hybrid = config.Hybrid!;
        residualMultiplier = options.ResidualMultiplier;
        inputLayernorm = new RmsNorm(config.Hidden, options.RmsNormEps, device, dtype);
        postAttentionLayernorm = new RmsNorm(config.Hidden, options.RmsNormEps, device, dtype);
        if (attention)
        {
            selfAttn = new GroupedQueryAttention(config.Hidden, config.Heads, config.KvHeads, config.HeadDim, config.QkvBias, rotary: null,
                scale: options.AttentionMultiplier, device: device, dtype: dtype);
        }
        else
        {
            mamba = new Mamba2Mixer(config.Hidden, hybrid, options.ChunkSize, options.RmsNormEps, device, dtype);
        }

        blockSparseMoe = new TopKMixtureOfExperts(config.Hidden, hybrid.Experts, hybrid.ExpertsPerToken, hybrid.ExpertHidden, device, dtype);
        sharedMlp = new SharedExpertMlp(config.Hidden, hybrid.SharedExpertHidden, device, dtype);
        RegisterComponents();
    }

    public bool IsAttention => selfAttn is not null;

    public override Tensor forward(Tensor x)
    {
        var normed = inputLayernorm.call(x);
        var mixed = selfAttn is not null ? selfAttn.Forward(normed, cache: null, layer: 0) : mamba!.call(normed);
        x = x + (mixed * residualMultiplier);
        normed = postAttentionLayernorm.call(x);
        return x + ((blockSparseMoe.call(normed) + sharedMlp.call(normed)) * residualMultiplier);
    }
}
