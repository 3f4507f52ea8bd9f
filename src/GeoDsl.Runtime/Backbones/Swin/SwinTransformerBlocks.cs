using System;
using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

// The layers of torchvision's Swin (torchvision/models/swin_transformer.py, 0.14), one class per torchvision class, with
// its attribute names so the state-dict keys are torchvision's. Everything works on channel-last maps [B, H, W, C].

/// <summary>
/// <c>features.0</c>: a 4×4 conv with stride 4 (<c>0</c>), torchvision's <c>Permute([0, 2, 3, 1])</c> (<c>1</c>, no weights)
/// and a LayerNorm over channels (<c>2</c>). [B, C_in, H, W] → [B, H/4, W/4, C].
/// </summary>
public sealed class SwinPatchEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Conv2d projection;

    [ComponentName(Name = "2")]
    private readonly LayerNorm norm;

    public SwinPatchEmbedding(int inChannels, int embedDim, int patchSize = 4, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SwinPatchEmbedding))
    {
        projection = nn.Conv2d(inChannels, embedDim, patchSize, stride: patchSize, bias: true, device: device, dtype: dtype);
        norm = nn.LayerNorm(embedDim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels) => norm.call(projection.call(pixels).permute(0, 2, 3, 1));
}

/// <summary>
/// torchvision's <c>ShiftedWindowAttention</c> (Swin v1): fused <c>qkv</c> and <c>proj</c>, a learned
/// <c>relative_position_bias_table</c> [(2w−1)², heads] indexed by the <c>relative_position_index</c> buffer [N·N].
/// </summary>
public sealed class ShiftedWindowAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    [ComponentName(Name = "relative_position_bias_table")]
    private readonly Parameter relativePositionBiasTable;

    [ComponentName(Name = "relative_position_index")]
    private readonly Tensor relativePositionIndex;

    private readonly int window;
    private readonly int shift;
    private readonly int numHeads;

    public ShiftedWindowAttention(int dim, int windowSize, int shiftSize, int numHeads, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ShiftedWindowAttention))
    {
        window = windowSize;
        shift = shiftSize;
        this.numHeads = numHeads;
        qkv = nn.Linear(dim, 3L * dim, hasBias: true, device: device, dtype: dtype);
        proj = nn.Linear(dim, dim, hasBias: true, device: device, dtype: dtype);
        long rows = (2L * windowSize) - 1;
        relativePositionBiasTable = new Parameter(torch.zeros(new[] { rows * rows, numHeads }, dtype: dtype, device: device), requires_grad: true);
        relativePositionBiasTable.DetachFromDisposeScope();
        relativePositionIndex = SwinWindows.RelativePositionIndex(windowSize, windowSize).to(device ?? torch.CPU).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>The bias [heads, N, N] each window's scores get.</summary>
    public Tensor PositionBias()
    {
        long n = (long)window * window;
        return relativePositionBiasTable.index_select(0, relativePositionIndex).view(n, n, -1).permute(2, 0, 1).contiguous();
    }

    public override Tensor forward(Tensor x)
    {
        var bias = PositionBias();
        return SwinWindows.Apply(x, (window, window), (shift, shift), noShiftWhenWindowCovers: true,
            (windows, mask) => SwinWindows.Attend(windows, qkv.weight!, qkv.bias, proj.weight!, proj.bias, numHeads, bias, mask, logitScale: null));
    }

    internal void InitializeLikeTorchvision()
    {
        using var guard = torch.no_grad();
        SwinTransformer.TruncatedNormal(relativePositionBiasTable);
    }
}

/// <summary>
/// torchvision's <c>ShiftedWindowAttentionV2</c>: cosine attention with a per-head <c>logit_scale</c> [heads, 1, 1]
/// (init ln 10, clamped at ln 100), and a continuous position bias: <c>cpb_mlp</c> (Linear(2, 512) → ReLU →
/// Linear(512, heads) without bias) maps the log-spaced <c>relative_coords_table</c> buffer [1, 2w−1, 2w−1, 2] to a
/// table, indexed like v1 and squashed to 16·sigmoid. The key part of the qkv bias is held at zero in the forward pass.
/// </summary>
public sealed class ShiftedWindowAttentionV2 : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    [ComponentName(Name = "logit_scale")]
    private readonly Parameter logitScale;

    [ComponentName(Name = "cpb_mlp")]
    private readonly Sequential cpbMlp;

    [ComponentName(Name = "relative_coords_table")]
    private readonly Tensor relativeCoordsTable;

    [ComponentName(Name = "relative_position_index")]
    private readonly Tensor relativePositionIndex;

    private readonly int window;
    private readonly int shift;
    private readonly int numHeads;
    private readonly long dim;

    public ShiftedWindowAttentionV2(int dim, int windowSize, int shiftSize, int numHeads, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ShiftedWindowAttentionV2))
    {
        window = windowSize;
        shift = shiftSize;
        this.numHeads = numHeads;
        this.dim = dim;
        qkv = nn.Linear(dim, 3L * dim, hasBias: true, device: device, dtype: dtype);
        proj = nn.Linear(dim, dim, hasBias: true, device: device, dtype: dtype);
        cpbMlp = nn.Sequential(
            ("0", nn.Linear(2, 512, hasBias: true, device: device, dtype: dtype)),
            ("1", nn.ReLU()),
            ("2", nn.Linear(512, numHeads, hasBias: false, device: device, dtype: dtype)));
        logitScale = new Parameter(torch.full(new long[] { numHeads, 1, 1 }, Math.Log(10.0), dtype: dtype, device: device), requires_grad: true);
        logitScale.DetachFromDisposeScope();
        relativeCoordsTable = CoordinatesTable(windowSize).to(dtype ?? torch.get_default_dtype(), device ?? torch.CPU).DetachFromDisposeScope();
        relativePositionIndex = SwinWindows.RelativePositionIndex(windowSize, windowSize).to(device ?? torch.CPU).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>The bias [heads, N, N] each window's scores get.</summary>
    public Tensor PositionBias()
    {
        long n = (long)window * window;
        var table = cpbMlp.call(relativeCoordsTable).view(-1, numHeads);
        return table.index_select(0, relativePositionIndex).view(n, n, -1).permute(2, 0, 1).contiguous().sigmoid() * 16;
    }

    public override Tensor forward(Tensor x)
    {
        var bias = PositionBias();

        // torchvision zeroes the key bias on a copy, so it never learns: multiplying by a 1/0/1 pattern does the same.
        var keep = torch.ones(3 * dim, dtype: qkv.bias!.dtype, device: qkv.bias.device);
        keep.narrow(0, dim, dim).zero_();
        var qkvBias = qkv.bias * keep;
        return SwinWindows.Apply(x, (window, window), (shift, shift), noShiftWhenWindowCovers: true,
            (windows, mask) => SwinWindows.Attend(windows, qkv.weight!, qkvBias, proj.weight!, proj.bias, numHeads, bias, mask, logitScale));
    }

    /// <summary>
    /// torchvision's <c>relative_coords_table</c>: offsets −(w−1)…w−1 on each axis, divided by w−1, times 8, then
    /// sign·log2(|x| + 1)/3, in float32 in the order torchvision computes them.
    /// </summary>
    public static Tensor CoordinatesTable(int windowSize)
    {
        using var scope = torch.NewDisposeScope();
        var offsets = torch.arange(-(windowSize - 1), windowSize, dtype: ScalarType.Float32);
        var grid = torch.stack(torch.meshgrid(new[] { offsets, offsets }, indexing: "ij")); // [2, 2w-1, 2w-1]
        var table = grid.permute(1, 2, 0).contiguous().unsqueeze(0); // [1, 2w-1, 2w-1, 2]
        table = table / (windowSize - 1f);
        table = table * 8f;
        table = table.sign() * torch.log2(table.abs() + 1f) / 3f;
        return table.MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's <c>MLP</c> as a Swin block uses it: Linear (<c>0</c>) → GELU (<c>1</c>) → Dropout (<c>2</c>) → Linear (<c>3</c>) → Dropout (<c>4</c>); the dropouts are 0.</summary>
public sealed class SwinMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Linear fc1;

    [ComponentName(Name = "1")]
    private readonly GELU act;

    [ComponentName(Name = "3")]
    private readonly Linear fc2;

    public SwinMlp(int dim, int hiddenDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SwinMlp))
    {
        fc1 = nn.Linear(dim, hiddenDim, hasBias: true, device: device, dtype: dtype);
        act = nn.GELU();
        fc2 = nn.Linear(hiddenDim, dim, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
}

/// <summary>
/// torchvision's <c>SwinTransformerBlock</c> (v1, pre-norm: x + sd(attn(norm1(x))), x + sd(mlp(norm2(x)))) and
/// <c>SwinTransformerBlockV2</c> (post-norm: x + sd(norm1(attn(x))), x + sd(norm2(mlp(x)))). Stochastic depth is per
/// sample ("row") and holds no weights.
/// </summary>
public sealed class SwinTransformerBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm norm1;

    [ComponentName(Name = "attn")]
    private readonly nn.Module<Tensor, Tensor> attn;

    [ComponentName(Name = "stochastic_depth")]
    private readonly TimmDropPath? stochasticDepth;

    [ComponentName(Name = "norm2")]
    private readonly LayerNorm norm2;

    [ComponentName(Name = "mlp")]
    private readonly SwinMlp mlp;

    private readonly bool postNorm;

    /// <param name="shiftSize">0 for even blocks, window/2 for odd ones.</param>
    /// <param name="stochasticDepthProb">This block's rate.</param>
    /// <param name="v2">Swin v2 attention and post-norm.</param>
    public SwinTransformerBlock(int dim, int numHeads, int windowSize, int shiftSize, double mlpRatio, double stochasticDepthProb, bool v2,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(SwinTransformerBlock))
    {
        postNorm = v2;
        norm1 = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        attn = v2
            ? new ShiftedWindowAttentionV2(dim, windowSize, shiftSize, numHeads, device, dtype)
            : new ShiftedWindowAttention(dim, windowSize, shiftSize, numHeads, device, dtype);
        if (stochasticDepthProb > 0)
        {
            stochasticDepth = new TimmDropPath(stochasticDepthProb);
        }

        norm2 = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        mlp = new SwinMlp(dim, (int)(dim * mlpRatio), device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = postNorm ? norm1.call(attn.call(x)) : attn.call(norm1.call(x));
        x = x + Drop(a);
        var m = postNorm ? norm2.call(mlp.call(x)) : mlp.call(norm2.call(x));
        return x + Drop(m);
    }

    private Tensor Drop(Tensor branch) => stochasticDepth is null ? branch : stochasticDepth.call(branch);
}

/// <summary>
/// torchvision's <c>PatchMerging</c> (v1: LayerNorm over 4C, then <c>reduction</c> Linear(4C, 2C) without bias) and
/// <c>PatchMergingV2</c> (reduction first, then LayerNorm over 2C). Odd sizes are zero-padded by one row/column; the
/// four 2×2 neighbours are concatenated in torchvision's order (0,0), (1,0), (0,1), (1,1) (row, column offsets).
/// </summary>
public sealed class SwinPatchMerging : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "reduction")]
    private readonly Linear reduction;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    private readonly bool v2;

    public SwinPatchMerging(int dim, bool v2, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SwinPatchMerging))
    {
        this.v2 = v2;
        reduction = nn.Linear(4L * dim, 2L * dim, hasBias: false, device: device, dtype: dtype);
        norm = nn.LayerNorm(v2 ? 2L * dim : 4L * dim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var merged = Merge(x);
        return v2 ? norm.call(reduction.call(merged)) : reduction.call(norm.call(merged));
    }

    /// <summary>torchvision's <c>_patch_merging_pad</c>: [B, H, W, C] → [B, ⌈H/2⌉, ⌈W/2⌉, 4C].</summary>
    public static Tensor Merge(Tensor x)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        if (height % 2 != 0 || width % 2 != 0)
        {
            x = nn.functional.pad(x, new long[] { 0, 0, 0, width % 2, 0, height % 2 });
            height += height % 2;
            width += width % 2;
        }

        // [B, H/2, row offset, W/2, column offset, C] → column offset outer, row offset inner: x0, x1, x2, x3.
        return x.view(batch, height / 2, 2, width / 2, 2, channels)
            .permute(0, 1, 3, 4, 2, 5)
            .reshape(batch, height / 2, width / 2, 4 * channels);
    }
}
