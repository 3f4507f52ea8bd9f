using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.TerraMind;

// TerraMind's transformer pieces (terratorch/models/backbones/terramind/model/tm_utils.py, after apple/ml-4m). Submodule
// and tensor names reproduce that file's attributes, so state-dict keys match: Block {norm1, attn {qkv, proj}, norm2,
// mlp {fc1, fc2[, fc3]}}; dropout and Identity layers hold nothing and are left out.

/// <summary>
/// tm_utils.py <c>LayerNorm</c> with <c>bias=False</c>: a learned <c>weight</c> and a <c>bias</c> that is a zero buffer,
/// not a parameter. The buffer still appears in the state dict (as <c>….bias</c>), so checkpoints carry it.
/// </summary>
public sealed class TerraMindLayerNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private Parameter weight;

    [ComponentName(Name = "bias")]
    private Tensor bias;

    private readonly long[] normalizedShape;
    private readonly double eps;

    public TerraMindLayerNorm(long dim, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindLayerNorm))
    {
        this.eps = eps;
        normalizedShape = new[] { dim };
        weight = new Parameter(torch.ones(new[] { dim }, dtype: dtype, device: device), requires_grad: true);
        bias = torch.zeros(new[] { dim }, dtype: dtype, device: device);
        weight.DetachFromDisposeScope();
        bias.DetachFromDisposeScope();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.layer_norm(x, normalizedShape, weight, bias, eps);
}

/// <summary>
/// tm_utils.py <c>Attention</c>: fused <c>qkv</c>, softmax(q·kᵀ·head_dim^-½)·v per head, output <c>proj</c>; biases as
/// configured (base/large have none). Computed with scaled_dot_product_attention, whose default scale is the same.
/// </summary>
public sealed class TerraMindAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    private readonly int numHeads;

    public TerraMindAttention(int dim, int num_heads, bool qkv_bias, bool proj_bias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindAttention))
    {
        if (num_heads <= 0 || dim % num_heads != 0)
        {
            throw new ArgumentException($"Attention width {dim} must be a multiple of the head count {num_heads}.", nameof(num_heads));
        }

        numHeads = num_heads;
        qkv = nn.Linear(dim, 3L * dim, hasBias: qkv_bias, device: device, dtype: dtype);
        proj = nn.Linear(dim, dim, hasBias: proj_bias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var width = x.shape[2];
        var parts = qkv.call(x)
            .reshape(batch, tokens, 3, numHeads, width / numHeads)
            .permute(2, 0, 3, 1, 4)
            .unbind(0);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return proj.call(attended.transpose(1, 2).reshape(batch, tokens, width));
    }
}

/// <summary>tm_utils.py <c>Mlp</c>: <c>fc1</c> → GELU (exact) → <c>fc2</c> (tiny and small).</summary>
public sealed class TerraMindMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly Linear fc1;

    [ComponentName(Name = "act")]
    private readonly GELU act;

    [ComponentName(Name = "fc2")]
    private readonly Linear fc2;

    public TerraMindMlp(int in_features, int hidden_features, bool bias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindMlp))
    {
        fc1 = nn.Linear(in_features, hidden_features, hasBias: bias, device: device, dtype: dtype);
        act = nn.GELU();
        fc2 = nn.Linear(hidden_features, in_features, hasBias: bias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
}

/// <summary>
/// tm_utils.py <c>GatedMlp</c> (SwiGLU, base and large): <c>fc2</c>(SiLU(<c>fc1</c>(x)) · <c>fc3</c>(x)). The hidden width is
/// passed already reduced to int(2·4D/3) (2048 for D = 768, 2730 for D = 1024), as the reference computes it.
/// </summary>
public sealed class TerraMindGatedMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly Linear fc1;

    [ComponentName(Name = "act")]
    private readonly SiLU act;

    [ComponentName(Name = "fc2")]
    private readonly Linear fc2;

    [ComponentName(Name = "fc3")]
    private readonly Linear fc3;

    public TerraMindGatedMlp(int in_features, int hidden_features, bool bias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindGatedMlp))
    {
        fc1 = nn.Linear(in_features, hidden_features, hasBias: bias, device: device, dtype: dtype);
        act = nn.SiLU();
        fc2 = nn.Linear(hidden_features, in_features, hasBias: bias, device: device, dtype: dtype);
        fc3 = nn.Linear(in_features, hidden_features, hasBias: bias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)) * fc3.call(x));
}

/// <summary>
/// tm_utils.py <c>Block</c>: x + drop_path(attn(norm1(x))), then x + drop_path(mlp(norm2(x))); one <c>drop_path</c> for both
/// branches, as there.
/// </summary>
public sealed class TerraMindBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly TerraMindLayerNorm norm1;

    [ComponentName(Name = "attn")]
    private readonly TerraMindAttention attn;

    [ComponentName(Name = "drop_path")]
    private readonly TimmDropPath? dropPath;

    [ComponentName(Name = "norm2")]
    private readonly TerraMindLayerNorm norm2;

    [ComponentName(Name = "mlp")]
    private readonly nn.Module<Tensor, Tensor> mlp;

    public TerraMindBlock(TerraMindViTOptions options, double drop_path, Device? device = null, ScalarType? dtype = null)
        : base(nameof(TerraMindBlock))
    {
        ArgumentNullException.ThrowIfNull(options);
        int dim = options.Dim;
        norm1 = new TerraMindLayerNorm(dim, options.NormEps, device, dtype);
        attn = new TerraMindAttention(dim, options.NumHeads, options.QkvBias, options.ProjBias, device, dtype);
        norm2 = new TerraMindLayerNorm(dim, options.NormEps, device, dtype);
        mlp = options.GatedMlp
            ? new TerraMindGatedMlp(dim, options.MlpHidden, options.MlpBias, device, dtype)
            : new TerraMindMlp(dim, options.MlpHidden, options.MlpBias, device, dtype);
        if (drop_path > 0)
        {
            dropPath = new TimmDropPath(drop_path); // same per-sample rule as tm_utils.py drop_path
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = attn.call(norm1.call(x));
        x = x + (dropPath is null ? a : dropPath.call(a));
        var m = mlp.call(norm2.call(x));
        return x + (dropPath is null ? m : dropPath.call(m));
    }
}
