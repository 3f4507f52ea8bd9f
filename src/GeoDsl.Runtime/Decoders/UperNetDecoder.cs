using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Decoders;

/// <summary>
/// UperNet (mmsegmentation's, as TerraTorch adapts it): a pooling pyramid (PPM) on the last map, an FPN top-down path
/// over the others, all resized (bilinear) to the first map and fused. Output [B, channels, H0, W0].
/// TerraTorch: <c>UperNetDecoder</c> in <c>terratorch/models/decoders/upernet_decoder.py</c>; keys
/// <c>psp_modules.I.1.{conv,norm}.*</c>, <c>bottleneck.*</c>, <c>lateral_convs.I.*</c>, <c>fpn_convs.I.*</c>,
/// <c>fpn_bottleneck.*</c>, every ConvModule being conv (no bias) + BatchNorm + ReLU.
/// </summary>
/// <remarks>TerraTorch's deprecated <c>scale_modules</c> option is not offered.</remarks>
public sealed class UperNetDecoder : Decoder
{
    private const string Component = "UperNetDecoder";

    private readonly ModuleList<Sequential> psp_modules;
    private readonly ConvModule bottleneck;
    private readonly ModuleList<ConvModule> lateral_convs;
    private readonly ModuleList<ConvModule> fpn_convs;
    private readonly ConvModule fpn_bottleneck;
    private readonly int[] embedDim;

    public UperNetDecoder(IReadOnlyList<int> embed_dim, IReadOnlyList<int>? pool_scales = null, int channels = 256, bool align_corners = true)
        : base(Component)
    {
        if (embed_dim.Count == 0)
        {
            throw new ArgumentException($"{Component} needs at least one input map.", nameof(embed_dim));
        }

        pool_scales ??= [1, 2, 3, 6];
        embedDim = embed_dim.ToArray();
        PoolScales = pool_scales.ToArray();
        Channels = channels;
        AlignCorners = align_corners;

        var last = embedDim[^1];
        psp_modules = new ModuleList<Sequential>(PoolScales
            .Select(scale => nn.Sequential(nn.AdaptiveAvgPool2d(scale), new ConvModule(last, channels, 1)))
            .ToArray());
        bottleneck = new ConvModule(last + (PoolScales.Count * channels), channels, 3, padding: 1);
        lateral_convs = new ModuleList<ConvModule>(embedDim[..^1].Select(c => new ConvModule(c, channels, 1)).ToArray());
        fpn_convs = new ModuleList<ConvModule>(embedDim[..^1].Select(_ => new ConvModule(channels, channels, 3, padding: 1)).ToArray());
        fpn_bottleneck = new ConvModule(embedDim.Length * channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public IReadOnlyList<int> EmbedDim => embedDim;

    public IReadOnlyList<int> PoolScales { get; }

    public int Channels { get; }

    public bool AlignCorners { get; }

    public override int OutChannels => Channels;

    /// <summary>Closed-form parameter count from the ConvModule shapes (k²·Cin·Cout + 2·Cout each).</summary>
    public static long ParameterCount(IReadOnlyList<int> embedDim, IReadOnlyList<int> poolScales, int channels)
    {
        var last = embedDim[^1];
        var n = embedDim.Count;
        var ppm = poolScales.Count * ConvModule.ParameterCount(last, channels, 1);
        var psp = ConvModule.ParameterCount(last + (poolScales.Count * channels), channels, 3);
        var laterals = embedDim.Take(n - 1).Sum(c => ConvModule.ParameterCount(c, channels, 1));
        var fpns = (n - 1) * ConvModule.ParameterCount(channels, channels, 3);
        var fuse = ConvModule.ParameterCount(n * channels, channels, 3);
        return ppm + psp + laterals + fpns + fuse;
    }

    public override Tensor forward(MapFeatures input)
    {
        FeatureChecks.RequireChannels(Component, input, embedDim);
        var levels = embedDim.Length;

        var laterals = new Tensor[levels];
        for (var i = 0; i < levels - 1; i++)
        {
            laterals[i] = lateral_convs[i].forward(input[i]);
        }

        laterals[levels - 1] = PspForward(input[levels - 1]);

        // Top-down: each level adds the coarser one, resized to its size.
        for (var i = levels - 1; i > 0; i--)
        {
            using var up = Resize(laterals[i], laterals[i - 1]);
            laterals[i - 1] = laterals[i - 1] + up;
        }

        var outs = new Tensor[levels];
        for (var i = 0; i < levels - 1; i++)
        {
            outs[i] = fpn_convs[i].forward(laterals[i]);
        }

        outs[levels - 1] = laterals[levels - 1];
        for (var i = levels - 1; i > 0; i--)
        {
            outs[i] = Resize(outs[i], outs[0]);
        }

        using var fused = torch.cat(outs, 1);
        return fpn_bottleneck.forward(fused);
    }

    private Tensor PspForward(Tensor x)
    {
        var pyramid = new List<Tensor> { x };
        foreach (var stage in psp_modules)
        {
            using var pooled = stage.forward(x);
            pyramid.Add(Resize(pooled, x));
        }

        using var stacked = torch.cat(pyramid, 1);
        return bottleneck.forward(stacked);
    }

    private Tensor Resize(Tensor x, Tensor like)
        => nn.functional.interpolate(x, size: [like.shape[2], like.shape[3]], mode: InterpolationMode.Bilinear, align_corners: AlignCorners);
}
