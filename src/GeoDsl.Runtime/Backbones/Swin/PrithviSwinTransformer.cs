using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// The Prithvi-Swin encoder (TerraTorch <c>prithvi_swin_B</c>/<c>_L</c>, <c>terratorch/models/backbones/prithvi_swin.py</c>
/// @85467a9): TerraTorch's MMSeg-style Swin v1 (<c>MMSegSwinTransformer</c> in <c>swin_encoder_decoder.py</c>) as timm's
/// <c>features_only</c> wrapper keeps it and TerraTorch's <c>TimmBackboneWrapper</c> exposes it: <c>patch_embed</c>
/// (<c>projection</c> conv, <c>norm</c>) and <c>stages_0</c> … up to the last selected stage (timm flattens
/// <c>stages.N</c> to <c>stages_N</c> and drops what follows, the classifier included). Each stage holds its
/// <c>blocks</c> (<c>norm1</c>, <c>attn.w_msa</c> with <c>relative_position_bias_table</c>/<c>relative_position_index</c>/
/// <c>qkv</c>/<c>proj</c>, <c>norm2</c>, <c>ffn.layers.0.0</c>/<c>ffn.layers.1</c>), a <c>downsample</c> patch merging
/// (all but the last stage) and an output <c>norm</c>. Returns the selected stages' normed maps channel-last
/// [B, H/s, W/s, C·2^i] in stage order.
/// </summary>
public sealed class PrithviSwinTransformer : Backbone<ChannelLastMapFeatures>
{
    private readonly MmsegPatchEmbed patchEmbed;

    // Registered by hand as stages_0, stages_1, …: only as many as the selected outputs need.
    private readonly List<MmsegSwinStage> stages = new();

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; <c>OutIndices</c> select stages 0–3 (default all).</param>
    /// <param name="name">Name used in messages, e.g. <c>prithvi_swin_B</c>.</param>
    /// <param name="device">Where to create weights (<c>torch.META</c> for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public PrithviSwinTransformer(SwinOptions options, string name = "prithvi_swin", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(4, "the four stages", "Prithvi-Swin");
        if (options.V2)
        {
            throw new ArgumentException("Prithvi-Swin is a Swin v1 (MMSeg layout); V2 must be false.", nameof(options));
        }

        Options = options;
        displayName = name;
        outIndices = options.ResolveOutIndices(4, new[] { 0, 1, 2, 3 }, ascending: true);

        patchEmbed = new MmsegPatchEmbed(options.InChannels, options.EmbedDim, 4, device, dtype);
        register_module("patch_embed", patchEmbed);

        // MMSeg: torch.linspace(0, drop_path_rate, total depth), one rate per block in order.
        int totalBlocks = options.Depths.Sum();
        int blockId = 0;
        int built = outIndices.Max() + 1;
        for (int stage = 0; stage < built; stage++)
        {
            var rates = new double[options.Depths[stage]];
            for (int i = 0; i < rates.Length; i++, blockId++)
            {
                rates[i] = totalBlocks > 1 ? options.StochasticDepth * blockId / (totalBlocks - 1) : 0.0;
            }

            var module = new MmsegSwinStage(options.StageChannels(stage), options.NumHeads[stage], options.WindowSize, options.MlpRatio, rates,
                withDownsample: stage < 3, device, dtype);
            stages.Add(module);
            register_module("stages_" + stage.ToString(CultureInfo.InvariantCulture), module);
        }
    }

    public SwinOptions Options { get; }

    /// <summary>The stages <see cref="forward"/> returns, ascending.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>How many stages exist (up to the last selected one).</summary>
    public int BuiltStages => stages.Count;

    public override ChannelLastMapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var x = patchEmbed.call(SwinInputs.SingleImage(input.Pixels, Options.InChannels, displayName));
        var outputs = new Tensor[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            (outputs[i], x) = stages[i].Run(x);
        }

        var selected = outIndices.Select(i => outputs[i].MoveToOuterDisposeScope()).ToArray();
        return new ChannelLastMapFeatures(selected);
    }

    // The children are registered by hand under timm's flattened names; the default would add them again under field names.
    protected override void RegisterComponents()
    {
    }
}

/// <summary>
/// MMSeg's <c>PatchEmbed</c> as TerraTorch configures it: replicate-pad the bottom/right to a multiple of the patch
/// ("corner" adaptive padding), <c>projection</c> conv with kernel = stride = patch, LayerNorm <c>norm</c>. Channel-last out.
/// </summary>
public sealed class MmsegPatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "projection")]
    private readonly Conv2d projection;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    private readonly int patch;

    public MmsegPatchEmbed(int inChannels, int embedDim, int patchSize, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegPatchEmbed))
    {
        patch = patchSize;
        projection = nn.Conv2d(inChannels, embedDim, patchSize, stride: patchSize, bias: true, device: device, dtype: dtype);
        norm = nn.LayerNorm(embedDim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        long padBottom = (patch - (pixels.shape[2] % patch)) % patch;
        long padRight = (patch - (pixels.shape[3] % patch)) % patch;
        if (padBottom > 0 || padRight > 0)
        {
            pixels = nn.functional.pad(pixels, new long[] { 0, padRight, 0, padBottom }, PaddingModes.Replicate);
        }

        return norm.call(projection.call(pixels).permute(0, 2, 3, 1));
    }
}

/// <summary>
/// MMSeg's <c>SwinBlockSequence</c>: the <c>blocks</c>, then the stage output <c>norm</c> (what is returned) and the
/// <c>downsample</c> merging applied to the un-normed tokens (what the next stage gets).
/// </summary>
public sealed class MmsegSwinStage : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "blocks")]
    private readonly ModuleList<MmsegSwinBlock> blocks;

    [ComponentName(Name = "downsample")]
    private readonly MmsegPatchMerging? downsample;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    public MmsegSwinStage(int dim, int numHeads, int windowSize, double mlpRatio, IReadOnlyList<double> dropPathRates, bool withDownsample,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegSwinStage))
    {
        blocks = nn.ModuleList(dropPathRates
            .Select((rate, i) => new MmsegSwinBlock(dim, numHeads, (int)(mlpRatio * dim), windowSize, shift: i % 2 == 1, rate, device, dtype))
            .ToArray());
        if (withDownsample)
        {
            downsample = new MmsegPatchMerging(dim, 2 * dim, device, dtype);
        }

        norm = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The stage output (normed) and the input of the next stage (merged, or the un-normed tokens).</summary>
    public (Tensor Output, Tensor Next) Run(Tensor x)
    {
        foreach (var block in blocks)
        {
            x = block.call(x);
        }

        return (norm.call(x), downsample is null ? x : downsample.call(x));
    }

    public override Tensor forward(Tensor x) => Run(x).Output;
}

/// <summary>
/// MMSeg's <c>SwinBlock</c>: x + attn(norm1(x)) with the drop path inside <c>ShiftWindowMSA</c>, then
/// x + drop_path(ffn.layers(norm2(x))) (<c>FFN</c>: Linear → GELU → Dropout as <c>layers.0</c>, Linear as
/// <c>layers.1</c>). Odd blocks shift by half a window, always (MMSeg does not drop the shift for small maps).
/// </summary>
public sealed class MmsegSwinBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm norm1;

    [ComponentName(Name = "attn")]
    private readonly MmsegShiftWindowMsa attn;

    [ComponentName(Name = "norm2")]
    private readonly LayerNorm norm2;

    [ComponentName(Name = "ffn")]
    private readonly MmsegFfn ffn;

    [ComponentName(Name = "drop_path")]
    private readonly TimmDropPath? dropPath;

    public MmsegSwinBlock(int dim, int numHeads, int feedforwardChannels, int windowSize, bool shift, double dropPathRate,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegSwinBlock))
    {
        norm1 = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        attn = new MmsegShiftWindowMsa(dim, numHeads, windowSize, shift ? windowSize / 2 : 0, device, dtype);
        norm2 = nn.LayerNorm(dim, eps: 1e-5, device: device, dtype: dtype);
        ffn = new MmsegFfn(dim, feedforwardChannels, device, dtype);
        if (dropPathRate > 0)
        {
            dropPath = new TimmDropPath(dropPathRate);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + Drop(attn.call(norm1.call(x)));
        return x + Drop(ffn.call(norm2.call(x)));
    }

    private Tensor Drop(Tensor branch) => dropPath is null ? branch : dropPath.call(branch);
}

/// <summary>MMSeg's <c>ShiftWindowMSA</c>: shifting and windowing around <c>w_msa</c>.</summary>
public sealed class MmsegShiftWindowMsa : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "w_msa")]
    private readonly MmsegWindowMsa windowAttention;

    private readonly int window;
    private readonly int shift;

    public MmsegShiftWindowMsa(int dim, int numHeads, int windowSize, int shiftSize, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegShiftWindowMsa))
    {
        window = windowSize;
        shift = shiftSize;
        windowAttention = new MmsegWindowMsa(dim, numHeads, windowSize, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        SwinWindows.Apply(x, (window, window), (shift, shift), noShiftWhenWindowCovers: false, windowAttention.Attend);
}

/// <summary>
/// MMSeg's <c>WindowMSA</c>: fused <c>qkv</c>, <c>proj</c>, a <c>relative_position_bias_table</c> [(2w−1)², heads] and the
/// <c>relative_position_index</c> buffer stored as [N, N]; q scaled by head_dim^−½.
/// </summary>
public sealed class MmsegWindowMsa : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "relative_position_bias_table")]
    private readonly Parameter relativePositionBiasTable;

    [ComponentName(Name = "relative_position_index")]
    private readonly Tensor relativePositionIndex;

    [ComponentName(Name = "qkv")]
    private readonly Linear qkv;

    [ComponentName(Name = "proj")]
    private readonly Linear proj;

    private readonly int numHeads;
    private readonly long tokens;

    public MmsegWindowMsa(int dim, int numHeads, int windowSize, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegWindowMsa))
    {
        this.numHeads = numHeads;
        tokens = (long)windowSize * windowSize;
        long rows = (2L * windowSize) - 1;

        // MMSeg creates the table with zeros and TerraTorch never calls its init_weights.
        relativePositionBiasTable = new Parameter(torch.zeros(new[] { rows * rows, numHeads }, dtype: dtype, device: device), requires_grad: true);
        relativePositionBiasTable.DetachFromDisposeScope();
        relativePositionIndex = SwinWindows.RelativePositionIndex(windowSize, windowSize).view(tokens, tokens).to(device ?? torch.CPU).DetachFromDisposeScope();
        qkv = nn.Linear(dim, 3L * dim, hasBias: true, device: device, dtype: dtype);
        proj = nn.Linear(dim, dim, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Attention over windows [Bw, N, C] with the optional shift mask [nW, N, N].</summary>
    public Tensor Attend(Tensor windows, Tensor? mask)
    {
        var bias = relativePositionBiasTable.index_select(0, relativePositionIndex.view(-1)).view(tokens, tokens, -1).permute(2, 0, 1).contiguous();
        return SwinWindows.Attend(windows, qkv.weight!, qkv.bias, proj.weight!, proj.bias, numHeads, bias, mask, logitScale: null);
    }

    public override Tensor forward(Tensor windows) => Attend(windows, null);
}

/// <summary>MMSeg's <c>FFN</c> with two layers: <c>layers.0</c> = (Linear <c>0</c>, GELU, Dropout), <c>layers.1</c> = Linear.</summary>
public sealed class MmsegFfn : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")]
    private readonly Sequential layers;

    public MmsegFfn(int dim, int feedforwardChannels, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegFfn))
    {
        layers = nn.Sequential(
            ("0", nn.Sequential(("0", nn.Linear(dim, feedforwardChannels, hasBias: true, device: device, dtype: dtype)), ("1", nn.GELU()))),
            ("1", nn.Linear(feedforwardChannels, dim, hasBias: true, device: device, dtype: dtype)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.call(x);
}

/// <summary>
/// MMSeg's <c>PatchMerging</c>: zero-pad to even sizes, gather each 2×2 neighbourhood as <c>nn.Unfold</c> does (channel
/// outer, then row and column offset: c·4 + 2·row + column), LayerNorm <c>norm</c> over 4C, <c>reduction</c> to 2C
/// without bias.
/// </summary>
public sealed class MmsegPatchMerging : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    [ComponentName(Name = "reduction")]
    private readonly Linear reduction;

    public MmsegPatchMerging(int inChannels, int outChannels, Device? device = null, ScalarType? dtype = null)
        : base(nameof(MmsegPatchMerging))
    {
        norm = nn.LayerNorm(4L * inChannels, eps: 1e-5, device: device, dtype: dtype);
        reduction = nn.Linear(4L * inChannels, outChannels, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        if (height % 2 != 0 || width % 2 != 0)
        {
            x = nn.functional.pad(x, new long[] { 0, 0, 0, width % 2, 0, height % 2 });
            height += height % 2;
            width += width % 2;
        }

        var unfolded = x.view(batch, height / 2, 2, width / 2, 2, channels)
            .permute(0, 1, 3, 5, 2, 4)
            .reshape(batch, height / 2, width / 2, 4 * channels);
        return reduction.call(norm.call(unfolded));
    }
}
