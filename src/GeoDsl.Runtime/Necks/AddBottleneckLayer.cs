using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Appends Conv1×1(C_last → C_last/2, with bias) of the last map, so n maps become n + 1 (the new one at the last
/// map's size). TerraTorch: <c>AddBottleneckLayer</c> in <c>terratorch/models/necks.py</c>; key <c>bottleneck.*</c>.
/// </summary>
public sealed class AddBottleneckLayer : Neck<MapFeatures, MapFeatures>
{
    private readonly Conv2d bottleneck;
    private readonly int lastChannels;

    /// <param name="channel_list">Channels of the input maps; only the last one is used.</param>
    public AddBottleneckLayer(IReadOnlyList<int> channel_list) : base(nameof(AddBottleneckLayer))
    {
        if (channel_list.Count == 0)
        {
            throw new ArgumentException("AddBottleneckLayer needs a non-empty channel list.", nameof(channel_list));
        }

        lastChannels = channel_list[^1];
        bottleneck = nn.Conv2d(lastChannels, lastChannels / 2, 1);
        RegisterComponents();
    }

    /// <summary>TerraTorch's <c>process_channel_list</c>: [*C, C_last/2].</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels)
        => [.. inChannels, inChannels[^1] / 2];

    public override MapFeatures forward(MapFeatures input)
    {
        FeatureChecks.RequireMap(nameof(AddBottleneckLayer), input[input.Count - 1], lastChannels, "its last map");

        // TerraTorch appends to the caller's list in place; here a new set is returned and the input is left alone.
        return new MapFeatures([.. input.Tensors, bottleneck.forward(input[input.Count - 1])]);
    }
}
