using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// timm's pre-norm transformer block (<c>timm.models.vision_transformer.Block</c>) with the options the MAE family
/// uses: no layer scale, no q/k norm, GELU MLP. Submodule names reproduce timm's state-dict keys
/// (<c>norm1</c>, <c>attn.qkv</c>, <c>attn.proj</c>, <c>norm2</c>, <c>mlp.fc1</c>, <c>mlp.fc2</c>); the layers timm
/// has as <c>nn.Identity</c>/dropout here hold no weights and are left out.
/// </summary>
public sealed class TimmBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm norm1;

    [ComponentName(Name = "attn")]
    private readonly TimmAttention attn;

    [ComponentName(Name = "drop_path1")]
    private readonly TimmDropPath? dropPath1;

    [ComponentName(Name = "norm2")]
    private readonly LayerNorm norm2;

    [ComponentName(Name = "mlp")]
    private readonly TimmMlp mlp;

    [ComponentName(Name = "drop_path2")]
    private readonly TimmDropPath? dropPath2;

    /// <param name="dim">Token width.</param>
    /// <param name="numHeads">Attention heads; must divide <paramref name="dim"/>.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of <paramref name="dim"/> (truncated like Python's int()).</param>
    /// <param name="qkvBias">Whether the qkv projection has a bias (Prithvi: yes).</param>
    /// <param name="dropPath">Stochastic-depth rate for both residual branches (training only).</param>
    /// <param name="normEps">Layer-norm epsilon; torch.nn.LayerNorm's default 1e-5 is what Prithvi passes.</param>
    /// <param name="device">Where to create the weights (torch.META builds without memory).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public TimmBlock(
        int dim,
        int numHeads,
        double mlpRatio = 4.0,
        bool qkvBias = true,
        double dropPath = 0.0,
        double normEps = 1e-5,
        Device? device = null,
        ScalarType? dtype = null)
        : base(nameof(TimmBlock))
    {
        norm1 = nn.LayerNorm(dim, eps: normEps, device: device, dtype: dtype);
        attn = new TimmAttention(dim, numHeads, qkvBias, device, dtype);
        norm2 = nn.LayerNorm(dim, eps: normEps, device: device, dtype: dtype);
        mlp = new TimmMlp(dim, (int)(dim * mlpRatio), device, dtype);
        if (dropPath > 0)
        {
            dropPath1 = new TimmDropPath(dropPath);
            dropPath2 = new TimmDropPath(dropPath);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = attn.call(norm1.call(x));
        if (dropPath1 is not null)
        {
            a = dropPath1.call(a);
        }

        x = x + a;
        var m = mlp.call(norm2.call(x));
        if (dropPath2 is not null)
        {
            m = dropPath2.call(m);
        }

        return x + m;
    }
}

/// <summary>
/// timm's multi-head self-attention: one fused <c>qkv</c> projection, attention per head, output <c>proj</c>.
/// Uses <c>scaled_dot_product_attention</c> (scale 1/√head_dim, as timm's fused path), which picks a fused,
/// memory-efficient kernel where libtorch has one.
/// </summary>
public sealed class TimmAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    private readonly int numHeads;

    public TimmAttention(int dim, int numHeads, bool qkvBias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TimmAttention))
    {
        if (numHeads <= 0 || dim % numHeads != 0)
        {
            throw new ArgumentException($"Attention width {dim} must be a multiple of the head count {numHeads}.", nameof(numHeads));
        }

        this.numHeads = numHeads;
        qkv = nn.Linear(dim, 3L * dim, hasBias: qkvBias, device: device, dtype: dtype);
        proj = nn.Linear(dim, dim, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var width = x.shape[2];

        // [B, N, 3·C] -> [3, B, heads, N, head_dim], the layout timm splits into q, k, v.
        var parts = qkv.call(x)
            .reshape(batch, tokens, 3, numHeads, width / numHeads)
            .permute(2, 0, 3, 1, 4)
            .unbind(0);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return proj.call(attended.transpose(1, 2).reshape(batch, tokens, width));
    }
}

/// <summary>timm's two-layer MLP: <c>fc1</c> → GELU (exact, erf-based) → <c>fc2</c>.</summary>
public sealed class TimmMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly Linear fc1;

    [ComponentName(Name = "act")]
    private readonly GELU act;

    [ComponentName(Name = "fc2")]
    private readonly Linear fc2;

    public TimmMlp(int dim, int hiddenDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TimmMlp))
    {
        fc1 = nn.Linear(dim, hiddenDim, hasBias: true, device: device, dtype: dtype);
        act = nn.GELU();
        fc2 = nn.Linear(hiddenDim, dim, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
}

/// <summary>
/// Stochastic depth per sample (timm's <c>DropPath</c>, scale_by_keep): in training, each sample's residual branch is
/// dropped with probability <c>rate</c> and kept ones are scaled by 1/(1-rate); in evaluation it is the identity.
/// </summary>
public sealed class TimmDropPath : nn.Module<Tensor, Tensor>
{
    public TimmDropPath(double rate)
        : base(nameof(TimmDropPath))
    {
        if (rate < 0 || rate >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The drop-path rate must be in [0, 1).");
        }

        Rate = rate;
    }

    public double Rate { get; }

    public override Tensor forward(Tensor x)
    {
        if (!training || Rate == 0)
        {
            return x;
        }

        var keep = 1.0 - Rate;
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = x.shape[0];
        using var mask = x.new_empty(shape).bernoulli_(keep).div_(keep);
        return x * mask;
    }
}
