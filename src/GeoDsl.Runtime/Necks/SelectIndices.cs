using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Keeps the features at <c>indices</c> (Python-style; negative counts from the end), in that order.
/// TerraTorch: <c>SelectIndices</c> in <c>terratorch/models/necks.py</c>. Works on any feature kind and keeps it
/// (tokens stay tokens with their class-token flag and grid).
/// </summary>
public sealed class SelectIndices<TFeatures> : Neck<TFeatures, TFeatures> where TFeatures : FeatureSet
{
    private readonly int[] indices;

    public SelectIndices(IReadOnlyList<int> indices) : base("SelectIndices")
    {
        if (indices.Count == 0)
        {
            throw new ArgumentException("SelectIndices needs at least one index.", nameof(indices));
        }

        this.indices = indices.ToArray();
    }

    public IReadOnlyList<int> Indices => indices;

    /// <summary>TerraTorch's <c>process_channel_list</c>: the channels of the selected features.</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels, IReadOnlyList<int> indices)
        => indices.Select(i => inChannels[FeatureChecks.ResolveIndex("SelectIndices", "index", i, inChannels.Count)]).ToArray();

    public override TFeatures forward(TFeatures input)
    {
        var selected = indices
            .Select(i => input[FeatureChecks.ResolveIndex("SelectIndices", "index", i, input.Count)])
            .ToArray();
        return Rebuild(input, selected);
    }

    // FeatureSet has no common "same kind, other tensors" factory, so each known kind is rebuilt here.
    private static TFeatures Rebuild(TFeatures like, IReadOnlyList<Tensor> tensors)
    {
        FeatureSet result = like switch
        {
            TokenFeatures tokens => tokens.With(tensors),
            MapFeatures => new MapFeatures(tensors),
            ChannelLastMapFeatures => new ChannelLastMapFeatures(tensors),
            PooledFeatures => new PooledFeatures(tensors),
            _ => throw new NotSupportedException($"SelectIndices cannot rebuild features of type {like.GetType().Name}."),
        };
        return (TFeatures)result;
    }
}
