using System.Collections.Generic;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Decoders;

/// <summary>
/// Passes <c>x[out_index]</c> straight to the head; no parameters.
/// TerraTorch: <c>IdentityDecoder</c> in <c>terratorch/models/decoders/identity_decoder.py</c>.
/// </summary>
public sealed class IdentityDecoder : Decoder
{
    private const string Component = "IdentityDecoder";

    public IdentityDecoder(IReadOnlyList<int> embed_dim, int out_index = -1) : base(Component)
    {
        OutIndex = out_index;
        OutChannels = embed_dim[FeatureChecks.ResolveIndex(Component, "out_index", out_index, embed_dim.Count)];
    }

    public int OutIndex { get; }

    public override int OutChannels { get; }

    public override Tensor forward(MapFeatures input)
    {
        var x = input[FeatureChecks.ResolveIndex(Component, "out_index", OutIndex, input.Count)];
        if (x.dim() < 2 || x.shape[1] != OutChannels)
        {
            throw new System.ArgumentException(
                $"{Component} expects map {OutIndex} with {OutChannels} channels in dimension 1; got {FeatureChecks.Describe(x)}.",
                nameof(input));
        }

        return x;
    }
}
