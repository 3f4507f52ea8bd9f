using System;
using GeoDsl.Composition.Catalog.LanguageModels;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// A Qwen2 / Qwen2.5-style decoder (transformers' <c>Qwen2ForCausalLM</c>) built from a catalog
/// <see cref="LanguageModelConfig"/>: token embedding, pre-norm blocks of RMSNorm → grouped-query attention with rotary
/// positions (θ from the config) → residual, RMSNorm → SwiGLU → residual, a final RMSNorm and the output projection.
/// State-dict names are Hugging Face's: <c>model.embed_tokens.weight</c>, <c>model.layers.N.self_attn.q_proj.weight</c>
/// …, <c>model.norm.weight</c>, and <c>lm_head.weight</c> only when the embeddings are untied (a tied checkpoint such as
/// Qwen2.5-0.5B stores no <c>lm_head</c>; the logits reuse the embedding matrix).
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module<Tensor, Tensor>, ICausalLanguageModel
{
    [ComponentName(Name = "model")]
    private readonly Qwen2Model model;

    [ComponentName(Name = "lm_head")]
    private readonly Linear? lmHead;

    /// <param name="config">The catalog entry; its block style must be pre-norm and it must carry a rope_theta.</param>
    /// <param name="tiedEmbeddings">Overrides the checkpoint's tie_word_embeddings (as <see cref="LanguageModelCounts.Of"/>).</param>
    /// <param name="rmsNormEps">rms_norm_eps of the config (1e-6 for Qwen2.5).</param>
    /// <param name="device">Where to create the weights; torch.META builds the structure without memory.</param>
    public Qwen2ForCausalLM(LanguageModelConfig config, bool? tiedEmbeddings = null, double rmsNormEps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Qwen2ForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Style != DecoderBlockStyle.PreNorm || config.Hybrid is not null)
        {
            throw new ArgumentException(
                $"Language model `{config.Name}` has {config.Style} blocks; the Qwen2 runtime builds pre-norm decoders only (Qwen2/Qwen2.5, Llama-shaped). "
                + "Use GraniteMoeHybridForCausalLM for hybrid Mamba-2 models.", nameof(config));
        }

        if (config.RopeTheta is not { } theta)
        {
            throw new ArgumentException(
                $"Language model `{config.Name}` has no rope_theta in the catalog; set LanguageModelConfig.RopeTheta from the rope_theta of "
                + $"{config.HuggingFaceId}'s config.json (Qwen2.5: `with {{ RopeTheta = 1e6 }}`).", nameof(config));
        }

        Config = config;
        TiedEmbeddings = tiedEmbeddings ?? config.TiedEmbeddings;
        model = new Qwen2Model(config, new RotaryEmbedding(config.HeadDim, theta), rmsNormEps, device, dtype);
        if (!TiedEmbeddings)
        {
            lmHead = nn.Linear(config.Hidden, config.Vocab, hasBias: false, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public LanguageModelConfig Config { get; }

    public bool TiedEmbeddings { get; }

    /// <summary>[B, N] token ids → [B, N, vocab] logits.</summary>
    public override Tensor forward(Tensor inputIds) => Logits(Embed(inputIds));

    public Tensor Embed(Tensor inputIds) => model.EmbedTokens.call(inputIds);

    public Tensor Logits(Tensor embeddings, DecoderCache? cache = null)
    {
        var hidden = model.Forward(embeddings, cache);
        return lmHead is null ? nn.functional.linear(hidden, model.EmbedTokens.Weight) : lmHead.call(hidden);
    }

    public DecoderCache NewCache() => new(Config.Layers);
}

/// <summary>transformers' <c>Qwen2Model</c>: <c>embed_tokens</c>, <c>layers</c>, <c>norm</c>.</summary>
public sealed class Qwen2Model : nn.Module
{
    [ComponentName(Name = "embed_tokens")]
    private readonly TokenEmbedding embedTokens;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<Qwen2DecoderLayer> layers;

    [ComponentName(Name = "norm")]
    private readonly RmsNorm norm;

    public Qwen2Model(LanguageModelConfig config, RotaryEmbedding rotary, double rmsNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Qwen2Model))
    {
        embedTokens = new TokenEmbedding(config.Vocab, config.Hidden, device, dtype);

        var blocks = new Qwen2DecoderLayer[config.Layers];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new Qwen2DecoderLayer(config, rotary, rmsNormEps, device, dtype);
        }

        layers = nn.ModuleList(blocks);
        norm = new RmsNorm(config.Hidden, rmsNormEps, device, dtype);
        RegisterComponents();
    }

    public TokenEmbedding EmbedTokens => embedTokens;

    /// <summary>[B, N, hidden] embeddings → final-normed hidden states; advances the cache by N.</summary>
    public Tensor Forward(Tensor embeddings, DecoderCache? cache)
    {
        var x = embeddings;
        for (var i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, cache, i);
        }

        cache?.Advance(embeddings.shape[1]);
        return norm.call(x);
    }
}

/// <summary>transformers' <c>Qwen2DecoderLayer</c>: <c>input_layernorm</c>, <c>self_attn</c>, <c>post_attention_layernorm</c>, <c>mlp</c>.</summary>
public sealed class Qwen2DecoderLayer : nn.Module
{
    [ComponentName(Name = "self_attn")]
    private readonly GroupedQueryAttention selfAttn;

    [ComponentName(Name = "mlp")]
    private readonly SwiGluMlp mlp;

    [ComponentName(Name = "input_layernorm")]
    private readonly RmsNorm inputLayernorm;

    [ComponentName(Name = "post_attention_layernorm")]
    private readonly RmsNorm postAttentionLayernorm;

    public Qwen2DecoderLayer(LanguageModelConfig config, RotaryEmbedding rotary, double rmsNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Qwen2DecoderLayer))
    {
        selfAttn = new GroupedQueryAttention(config.Hidden, config.Heads, config.KvHeads, config.HeadDim, config.QkvBias, rotary, device: device, dtype: dtype);
        mlp = new SwiGluMlp(config.Hidden, config.Intermediate, device, dtype);
        inputLayernorm = new RmsNorm(config.Hidden, rmsNormEps, device, dtype);
        postAttentionLayernorm = new RmsNorm(config.Hidden, rmsNormEps, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, DecoderCache? cache, int layer)
    {
        x = x + selfAttn.Forward(inputLayernorm.call(x), cache, layer);
        return x + mlp.call(postAttentionLayernorm.call(x));
    }
}
