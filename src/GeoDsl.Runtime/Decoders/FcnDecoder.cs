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
/// Fully convolutional decoder on one map <c>x[in_index]</c>: <c>num_convs</c> blocks of
/// ConvTranspose(k 2, s 2) → Conv3×3 (bias) → Norm2d (LayerNorm over channels, eps 1e-6) → GELU, each doubling H and W.
/// TerraTorch: <c>FCNDecoder</c> in <c>terratorch/models/decoders/fcn_decoder.py</c>; keys
/// <c>convs.K.0.*</c> (ConvT), <c>convs.K.1.*</c> (Conv), <c>convs.K.2.ln.*</c> (LayerNorm).
/// </summary>
public sealed class FcnDecoder : Decoder
{
    private const string Component = "FCNDecoder";

    private readonly Sequential convs;

    public FcnDecoder(IReadOnlyList<int> embed_dim, int channels = 256, int num_convs = 4, int in_index = -1) : base(Component)
    {
        if (num_convs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(num_convs), num_convs, $"{Component}: num_convs must be ≥ 1.");
        }

        InIndex = in_index;
        InChannels = embed_dim[FeatureChecks.ResolveIndex(Component, "in_index", in_index, embed_dim.Count)];
        Channels = channels;
        NumConvs = num_convs;

        var blocks = new nn.Module<Tensor, Tensor>[num_convs];
        for (var i = 0; i < num_convs; i++)
        {
            long cin = i == 0 ? InChannels : channels;
            blocks[i] = nn.Sequential(
                nn.ConvTranspose2d(cin, channels, 2, stride: 2),
                nn.Conv2d(channels, channels, 3, padding: 1),
                new Norm2d(channels),
                nn.GELU());
        }

        convs = nn.Sequential(blocks);
        RegisterComponents();
    }

    public int InIndex { get; }

    /// <summary>Channels of the map the decoder reads.</summary>
    public int InChannels { get; }

    public int Channels { get; }

    public int NumConvs { get; }

    public override int OutChannels => Channels;

    /// <summary>Closed-form parameter count: per block 4·Cin·C + C (ConvT) + 9·C² + C (Conv) + 2·C (LayerNorm).</summary>
    public static long ParameterCount(int inChannels, int channels, int numConvs)
        => Enumerable.Range(0, numConvs).Sum(i =>
        {
            long cin = i == 0 ? inChannels : channels;
            return (4 * cin * channels) + channels + (9L * channels * channels) + channels + (2L * channels);
        });

    public override Tensor forward(MapFeatures input)
    {
        var x = input[FeatureChecks.ResolveIndex(Component, "in_index", InIndex, input.Count)];
        FeatureChecks.RequireMap(Component, x, InChannels, $"map {InIndex}");
        return convs.forward(x);
    }
}
