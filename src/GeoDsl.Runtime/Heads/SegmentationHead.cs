using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Heads;

/// <summary>
/// Per-pixel classifier: [Conv3×3 (bias) + ReLU per <c>channel_list</c> entry] → Dropout (identity when 0) →
/// Conv1×1 (→ num_classes). TerraTorch: <c>SegmentationHead</c> in
/// <c>terratorch/models/heads/segmentation_head.py</c>; keys <c>head.0.I.0.*</c> (pre-head convs), <c>head.2.*</c>.
/// </summary>
public sealed class SegmentationHead : Head
{
    private const string Component = "SegmentationHead";

    private readonly Sequential head;

    public SegmentationHead(int in_channels, int num_classes, IReadOnlyList<int>? channel_list = null, double dropout = 0)
        : base(Component)
    {
        if (num_classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, $"{Component}: num_classes must be ≥ 1.");
        }

        InChannels = in_channels;
        NumClasses = num_classes;
        ChannelList = channel_list?.ToArray();

        nn.Module<Tensor, Tensor> preHead = nn.Identity();
        var last = in_channels;
        if (channel_list is not null)
        {
            var widths = new[] { in_channels }.Concat(channel_list).ToArray();
            preHead = nn.Sequential(Enumerable.Range(0, widths.Length - 1)
                .Select(i => (nn.Module<Tensor, Tensor>)nn.Sequential(nn.Conv2d(widths[i], widths[i + 1], 3, padding: 1), nn.ReLU()))
                .ToArray());
            last = widths[^1];
        }

        // Plain Dropout (not Dropout2d), as the reference; index 1 stays in the Sequential either way.
        nn.Module<Tensor, Tensor> drop = dropout == 0 ? nn.Identity() : nn.Dropout(dropout);
        head = nn.Sequential(preHead, drop, nn.Conv2d(last, num_classes, 1));
        RegisterComponents();
    }

    public int InChannels { get; }

    public int NumClasses { get; }

    public IReadOnlyList<int>? ChannelList { get; }

    /// <summary>Closed-form parameter count: 9·Cin·Cout + Cout per pre-head conv, then Clast·K + K.</summary>
    public static long ParameterCount(int inChannels, int numClasses, IReadOnlyList<int>? channelList = null)
    {
        var widths = new[] { inChannels }.Concat(channelList ?? []).ToArray();
        var pre = Enumerable.Range(0, widths.Length - 1).Sum(i => (9L * widths[i] * widths[i + 1]) + widths[i + 1]);
        return pre + ((long)widths[^1] * numClasses) + numClasses;
    }

    public override Tensor forward(Tensor input)
    {
        FeatureChecks.RequireMap(Component, input, InChannels);
        return head.forward(input);
    }
}
