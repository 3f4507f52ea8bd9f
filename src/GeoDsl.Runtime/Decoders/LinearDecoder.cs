using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Decoders;

/// <summary>
/// One ConvTranspose2d(C → num_classes, kernel = stride = upsampling_size) on <c>x[in_index]</c>: decoder and head
/// in one (<see cref="IncludesHead"/>). TerraTorch: <c>LinearDecoder</c> in
/// <c>terratorch/models/decoders/linear_decoder.py</c>; key <c>conv.*</c>.
/// </summary>
public sealed class LinearDecoder : Decoder
{
    private const string Component = "LinearDecoder";

    private readonly ConvTranspose2d conv;

    public LinearDecoder(IReadOnlyList<int> embed_dim, int num_classes, int upsampling_size, int in_index = -1) : base(Component)
    {
        if (num_classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, $"{Component}: num_classes must be ≥ 1.");
        }

        if (upsampling_size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(upsampling_size), upsampling_size, $"{Component}: upsampling_size must be ≥ 1.");
        }

        InIndex = in_index;
        InChannels = embed_dim[FeatureChecks.ResolveIndex(Component, "in_index", in_index, embed_dim.Count)];
        NumClasses = num_classes;
        UpsamplingSize = upsampling_size;
        conv = nn.ConvTranspose2d(InChannels, num_classes, upsampling_size, stride: upsampling_size);
        RegisterComponents();
    }

    public int InIndex { get; }

    public int InChannels { get; }

    public int NumClasses { get; }

    public int UpsamplingSize { get; }

    public override int OutChannels => NumClasses;

    public override bool IncludesHead => true;

    public override Tensor forward(MapFeatures input)
    {
        var x = input[FeatureChecks.ResolveIndex(Component, "in_index", InIndex, input.Count)];
        FeatureChecks.RequireMap(Component, x, InChannels, $"map {InIndex}");
        return conv.forward(x);
    }
}
