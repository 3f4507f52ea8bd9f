using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Channel-last maps [B, H, W, C] (Swin stages) → channel-first maps by <c>permute(new_order)</c> + contiguous.
/// TerraTorch: <c>PermuteDims</c> in <c>terratorch/models/necks.py</c>, which permutes any tensor; this typed variant
/// only accepts orders that move the channel axis to position 1 and keep the batch first, e.g. [0, 3, 1, 2].
/// </summary>
public sealed class PermuteDims : Neck<ChannelLastMapFeatures, MapFeatures>
{
    private readonly long[] order;

    public PermuteDims(IReadOnlyList<int> new_order) : base(nameof(PermuteDims))
    {
        var rank = new_order.Count;
        var isPermutation = new_order.OrderBy(i => i).SequenceEqual(Enumerable.Range(0, rank));
        if (rank < 3 || !isPermutation || new_order[0] != 0 || new_order[1] != rank - 1)
        {
            throw new ArgumentException(
                $"PermuteDims: new_order {FeatureChecks.Describe(new_order)} must be a permutation of 0..{rank - 1} that keeps the batch "
                + $"first and moves the channel axis ({rank - 1}) to position 1, e.g. [0, 3, 1, 2].",
                nameof(new_order));
        }

        order = new_order.Select(i => (long)i).ToArray();
    }

    /// <summary>The default Swin order: B×H×W×C → B×C×H×W.</summary>
    public PermuteDims() : this([0, 3, 1, 2])
    {
    }

    /// <summary>TerraTorch's <c>process_channel_list</c>: unchanged.</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels) => inChannels.ToArray();

    public override MapFeatures forward(ChannelLastMapFeatures input)
    {
        var outputs = new Tensor[input.Count];
        for (var i = 0; i < input.Count; i++)
        {
            FeatureChecks.RequireRank(nameof(PermuteDims), input[i], order.Length, "(channel-last)");
            using var permuted = input[i].permute(order);
            outputs[i] = permuted.contiguous();
        }

        return new MapFeatures(outputs);
    }
}
