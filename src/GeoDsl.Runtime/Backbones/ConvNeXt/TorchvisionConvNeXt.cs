using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ConvNeXt;

/// <summary>
/// torchvision's <c>ConvNeXt</c> (torchvision 0.14 <c>torchvision/models/convnext.py</c>) as a multi-scale backbone.
/// <c>features</c> is torchvision's Sequential: <c>features.0</c> the stem (<c>0</c> Conv2d 4×4 stride 4 with bias,
/// <c>1</c> LayerNorm2d), then for each stage a Sequential of <see cref="CNBlock"/>s (<c>features.1, 3, 5, 7</c>) and,
/// between stages, a downsampling Sequential (<c>0</c> LayerNorm2d, <c>1</c> Conv2d 2×2 stride 2: <c>features.2, 4, 6</c>).
/// Optionally torchvision's <c>classifier</c> (<c>0</c> LayerNorm2d, <c>1</c> Flatten, <c>2</c> Linear). All norms use eps 1e-6.
/// </summary>
/// <remarks>
/// Output: each selected stage's map [B, C_i, H/s_i, W/s_i], channel-first, strides 4, 8, 16, 32 (TerraTorch's pyramid
/// decoders take these directly). Stages after the last selected one are skipped. Sizes that are not multiples of the
/// strides are floored as torchvision's convolutions floor them.
/// </remarks>
public sealed class TorchvisionConvNeXt : Backbone<MapFeatures>
{
    [ComponentName(Name = "features")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> features;

    [ComponentName(Name = "classifier")]
    private readonly Sequential? classifier;

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; validated here.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>convnext_tiny</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public TorchvisionConvNeXt(TorchvisionConvNeXtOptions options, string name = "convnext", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        displayName = name;
        outIndices = options.ResolvedOutIndices.ToArray();
        var dims = options.Dims;

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Sequential(
                nn.Conv2d(options.InChannels, dims[0], 4, stride: 4, bias: true, device: device, dtype: dtype),
                new LayerNorm2d(dims[0], 1e-6, device, dtype)),
        };

        var totalBlocks = options.Depths.Sum();
        var blockId = 0;
        for (var stage = 0; stage < options.Stages; stage++)
        {
            var blocks = new nn.Module<Tensor, Tensor>[options.Depths[stage]];
            for (var i = 0; i < blocks.Length; i++)
            {
                // torchvision: the rate rises linearly with the block's index over the whole network.
                var rate = totalBlocks > 1 ? options.StochasticDepthProb * blockId / (totalBlocks - 1.0) : 0.0;
                blocks[i] = new CNBlock(dims[stage], options.LayerScale, rate, device, dtype);
                blockId++;
            }

            layers.Add(nn.Sequential(blocks));
            if (stage + 1 < options.Stages)
            {
                layers.Add(nn.Sequential(
                    new LayerNorm2d(dims[stage], 1e-6, device, dtype),
                    nn.Conv2d(dims[stage], dims[stage + 1], 2, stride: 2, bias: true, device: device, dtype: dtype)));
            }
        }

        features = nn.ModuleList(layers.ToArray());
        if (options.NumClasses is int classes)
        {
            classifier = nn.Sequential(
                new LayerNorm2d(dims[^1], 1e-6, device, dtype),
                nn.Flatten(1),
                nn.Linear(dims[^1], classes, hasBias: true, device: device, dtype: dtype));
        }

        RegisterComponents();
        InitializeLikeTorchvision();
    }

    /// <summary>The options this network was built from.</summary>
    public TorchvisionConvNeXtOptions Options { get; }

    /// <summary>The stages whose maps <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Whether torchvision's <c>classifier</c> exists.</summary>
    public bool HasClassifier => classifier is not null;

    /// <summary>Each stage's stride: 4 after the stem, doubling at each downsampling.</summary>
    public static int Stride(int stage) => 4 << stage;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]); H and W must be at least the last stage's stride.</summary>
    public override MapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var perStage = Encode(input.Pixels, outIndices.Max());
        var selected = outIndices.Select(i => perStage[i]).ToArray();
        foreach (var t in selected.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new MapFeatures(selected);
    }

    /// <summary>torchvision's <c>ConvNeXt.forward</c>: the last stage, average-pooled, through <c>classifier</c>, [B, classes].</summary>
    public Tensor Classify(Tensor pixels)
    {
        if (classifier is null)
        {
            throw new InvalidOperationException($"{displayName} was built without a classifier; set NumClasses to add torchvision's classifier.");
        }

        using var scope = torch.NewDisposeScope();
        var last = Encode(pixels, Options.Stages - 1)[^1];
        return classifier.call(nn.functional.adaptive_avg_pool2d(last, 1)).MoveToOuterDisposeScope();
    }

    private Tensor[] Encode(Tensor pixels, int lastNeeded)
    {
        var x = features[0].call(CheckPixels(pixels));
        var perStage = new Tensor[lastNeeded + 1];
        for (var stage = 0; stage <= lastNeeded; stage++)
        {
            if (stage > 0)
            {
                x = features[2 * stage].call(x); // the downsampling layer before this stage
            }

            x = features[(2 * stage) + 1].call(x);
            perStage[stage] = x;
        }

        return perStage;
    }

    private Tensor CheckPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var smallest = Stride(Options.Stages - 1);
        var shape = pixels.shape;
        var ok = shape.Length is 4 or 5
            && shape[0] >= 1
            && shape[1] == Options.InChannels
            && (shape.Length == 4 || shape[2] == 1)
            && shape[^2] >= smallest
            && shape[^1] >= smallest;
        if (!ok)
        {
            throw new ArgumentException(
                $"{displayName} expects pixels [B, {Options.InChannels}, H, W] or [B, {Options.InChannels}, 1, H, W] " +
                $"with H and W at least {smallest}; got [{string.Join(", ", shape)}].",
                nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }

    private void InitializeLikeTorchvision()
    {
        // torchvision's ConvNeXt.__init__: every Conv2d and Linear trunc-normal (std 0.02) with zero bias; norms 1/0.
        using var guard = torch.no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    TorchvisionInit.TruncatedNormal_(conv.weight!, std: 0.02);
                    if (conv.bias is not null)
                    {
                        nn.init.zeros_(conv.bias);
                    }

                    break;
                case Linear linear:
                    TorchvisionInit.TruncatedNormal_(linear.weight!, std: 0.02);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
            }
        }
    }
}

/// <summary>
/// torchvision's ConvNeXt block (<c>CNBlock</c>): <c>block</c> = 0 depthwise Conv2d 7×7 (padding 3, bias), 1 permute to
/// channels-last, 2 LayerNorm (eps 1e-6), 3 Linear(C, 4C), 4 GELU, 5 Linear(4C, C), 6 permute back; then
/// <c>layer_scale</c> [C, 1, 1] times the branch, row-wise stochastic depth, and the residual.
/// </summary>
public sealed class CNBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "block")]
    private readonly Sequential block;

    [ComponentName(Name = "layer_scale")]
    private readonly Parameter layerScale;

    public CNBlock(int dim, double layer_scale, double stochastic_depth_prob, Device? device = null, ScalarType? dtype = null)
        : base(nameof(CNBlock))
    {
        StochasticDepthProb = stochastic_depth_prob;
        block = nn.Sequential(
            nn.Conv2d(dim, dim, 7, padding: 3, groups: dim, bias: true, device: device, dtype: dtype),
            new Permute(0, 2, 3, 1),
            nn.LayerNorm(dim, eps: 1e-6, device: device, dtype: dtype),
            nn.Linear(dim, 4L * dim, hasBias: true, device: device, dtype: dtype),
            nn.GELU(),
            nn.Linear(4L * dim, dim, hasBias: true, device: device, dtype: dtype),
            new Permute(0, 3, 1, 2));
        using (torch.no_grad())
        {
            layerScale = new Parameter(torch.full(new long[] { dim, 1, 1 }, layer_scale, dtype: dtype, device: device), requires_grad: true);
            layerScale.DetachFromDisposeScope();
        }

        RegisterComponents();
    }

    /// <summary>This block's stochastic-depth rate (training only).</summary>
    public double StochasticDepthProb { get; }

    public override Tensor forward(Tensor input)
    {
        var result = layerScale * block.call(input);
        if (training && StochasticDepthProb > 0)
        {
            // torchvision's stochastic_depth(mode="row"): drop each sample's branch, scale kept ones by 1/survival.
            var survival = 1.0 - StochasticDepthProb;
            var shape = new long[result.dim()];
            Array.Fill(shape, 1L);
            shape[0] = result.shape[0];
            using var noise = result.new_empty(shape).bernoulli_(survival).div_(survival);
            result = result * noise;
        }

        return result + input;
    }
}

/// <summary>
/// torchvision's <c>LayerNorm2d</c>: a LayerNorm over the channels of a channel-first map (permute to channels-last,
/// normalise, permute back). Its parameters are <c>weight</c> and <c>bias</c>, as nn.LayerNorm's.
/// </summary>
public sealed class LayerNorm2d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter bias;

    private readonly long[] normalizedShape;

    public LayerNorm2d(int num_channels, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LayerNorm2d))
    {
        Eps = eps;
        normalizedShape = new long[] { num_channels };
        weight = new Parameter(torch.ones(normalizedShape, dtype: dtype, device: device), requires_grad: true);
        bias = new Parameter(torch.zeros(normalizedShape, dtype: dtype, device: device), requires_grad: true);
        weight.DetachFromDisposeScope();
        bias.DetachFromDisposeScope();
        RegisterComponents();
    }

    public double Eps { get; }

    public override Tensor forward(Tensor x) =>
        nn.functional.layer_norm(x.permute(0, 2, 3, 1), normalizedShape, weight, bias, Eps).permute(0, 3, 1, 2);
}

/// <summary>torchvision's <c>Permute</c> (ops/misc.py): a view with the dimensions reordered; it holds no weights.</summary>
public sealed class Permute : nn.Module<Tensor, Tensor>
{
    private readonly long[] dims;

    public Permute(params long[] dims)
        : base(nameof(Permute))
    {
        this.dims = dims;
    }

    public override Tensor forward(Tensor x) => x.permute(dims);
}
