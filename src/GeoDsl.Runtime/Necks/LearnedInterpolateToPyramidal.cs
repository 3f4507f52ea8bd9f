using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Learned pyramid from exactly four same-size ViT maps [C0..C3 @ H]: fpn1 = ConvT2→BN→GELU→ConvT2 (C0/4 @ 4H),
/// fpn2 = ConvT2 (C1/2 @ 2H), fpn3 = identity (C2 @ H), fpn4 = MaxPool2 (C3 @ H/2).
/// TerraTorch: <c>LearnedInterpolateToPyramidal</c> in <c>terratorch/models/necks.py</c>; state-dict keys
/// <c>fpn1.0.*</c>, <c>fpn1.1.*</c> (BatchNorm), <c>fpn1.3.*</c>, <c>fpn2.0.*</c>.
/// </summary>
public sealed class LearnedInterpolateToPyramidal : Neck<MapFeatures, MapFeatures>
{
    private const string Component = "LearnedInterpolateToPyramidal";

    private readonly Sequential fpn1;
    private readonly Sequential fpn2;
    private readonly Sequential fpn3;
    private readonly Sequential fpn4;
    private readonly int[] inChannels;

    /// <param name="channel_list">Channels of the four input maps (TerraTorch passes the running channel list).</param>
    public LearnedInterpolateToPyramidal(IReadOnlyList<int> channel_list) : base(Component)
    {
        RequireFour(channel_list);
        inChannels = [channel_list[0], channel_list[1], channel_list[2], channel_list[3]];
        long c0 = channel_list[0], c1 = channel_list[1];
        fpn1 = nn.Sequential(
            nn.ConvTranspose2d(c0, c0 / 2, 2, stride: 2),
            nn.BatchNorm2d(c0 / 2),
            nn.GELU(),
            nn.ConvTranspose2d(c0 / 2, c0 / 4, 2, stride: 2));
        fpn2 = nn.Sequential(nn.ConvTranspose2d(c1, c1 / 2, 2, stride: 2));
        fpn3 = nn.Sequential(nn.Identity());
        fpn4 = nn.Sequential(nn.MaxPool2d(2, stride: 2));
        RegisterComponents();
    }

    /// <summary>TerraTorch's <c>process_channel_list</c>: [C0/4, C1/2, C2, C3] (integer division).</summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels)
    {
        RequireFour(inChannels);
        return [inChannels[0] / 4, inChannels[1] / 2, inChannels[2], inChannels[3]];
    }

    public override MapFeatures forward(MapFeatures input)
    {
        FeatureChecks.RequireChannels(Component, input, inChannels);
        return new MapFeatures(
            fpn1.forward(input[0]),
            fpn2.forward(input[1]),
            fpn3.forward(input[2]),
            fpn4.forward(input[3]));
    }

    private static void RequireFour(IReadOnlyList<int> channels)
    {
        if (channels.Count != 4)
        {
            throw new ArgumentException(
                $"{Component} needs exactly 4 input maps; the channel list has {channels.Count}: {FeatureChecks.Describe(channels)}.",
                nameof(channels));
        }
    }
}
