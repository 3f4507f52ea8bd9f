using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// Causal grouped-query self-attention with Hugging Face's names (<c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>,
/// <c>o_proj</c>): <c>heads</c> query heads share <c>kvHeads</c> key/value heads. Qwen2 has biases on q, k and v and none
/// on o; rotary positions are optional (GraniteMoeHybrid's attention uses none), and so is a custom score scale
/// (Granite's attention_multiplier instead of 1/√head_dim).
/// </summary>
public sealed class GroupedQueryAttention : nn.Module
{
    [ComponentName(Name = "q_proj")]
    private readonly Linear qProj;

    [ComponentName(Name = "k_proj")]
    private readonly Linear kProj;

    [ComponentName(Name = "v_proj")]
    private readonly Linear vProj;

    [ComponentName(Name = "o_proj")]
    private readonly Linear oProj;

    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly RotaryEmbedding? rotary;
    private readonly double? scale;

    public GroupedQueryAttention(
        int hidden,
        int heads,
        int kvHeads,
        int headDim,
        bool qkvBias,
        RotaryEmbedding? rotary,
        double? scale = null,
        Device? device = null,
        ScalarType? dtype = null)
        : base(nameof(GroupedQueryAttention))
    {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw new ArgumentException($"Query heads ({heads}) must be a positive multiple of key/value heads ({kvHeads}).", nameof(kvHeads));
        }

        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.rotary = rotary;
        this.scale = scale;
        qProj = nn.Linear(hidden, (long)heads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        kProj = nn.Linear(hidden, (long)kvHeads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        vProj = nn.Linear(hidden, (long)kvHeads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        oProj = nn.Linear((long)heads * headDim, hidden, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>
    /// Attends <paramref name="x"/> [B, N, hidden] causally. With a <paramref name="cache"/>, the tokens sit at positions
    /// cache.Position … + N − 1 and attend to every cached token as well; the new keys and values are appended.
    /// </summary>
    public Tensor Forward(Tensor x, DecoderCache? cache, int layer)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var offset = cache?.Position ?? 0;
        var q = qProj.call(x).view(batch, tokens, heads, headDim).transpose(1, 2);
        var k = kProj.call(x).view(batch, tokens, kvHeads, headDim).transpose(1, 2);
        var v = vProj.call(x).view(batch, tokens, kvHeads, headDim).transpose(1, 2);
        if (rotary is not null)
        {
            q = rotary.Apply(q, offset);
            k = rotary.Apply(k, offset);
        }

        if (cache is not null)
        {
            (k, v) = cache.AppendKeysValues(layer, k, v);
        }

        // Each key/value head serves heads / kvHeads consecutive query heads (HF's repeat_kv).
        var groups = heads / kvHeads;
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, dim: 1);
            v = v.repeat_interleave(groups, dim: 1);
        }

        if (scale is { } s)
        {
            // SDPA scales by 1/√head_dim; fold the configured scale into q instead.
            q = q * (s * Math.Sqrt(headDim));
        }

        // Query i (absolute position offset + i) sees keys 0 … offset + i; SDPA's is_causal aligns top-left, wrong once cached.
        var keysSeen = k.shape[2];
        var allowed = torch.ones(tokens, keysSeen, dtype: ScalarType.Bool, device: x.device).tril(keysSeen - tokens);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, allowed);
        return oProj.call(attended.transpose(1, 2).reshape(batch, tokens, (long)heads * headDim));
    }
}
