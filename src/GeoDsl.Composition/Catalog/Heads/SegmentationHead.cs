using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Heads;

/// <summary>
/// TerraTorch <c>SegmentationHead</c> (heads/segmentation_head.py): optional Conv3×3 + ReLU blocks for
/// <c>channel_list</c>, dropout, then Conv1×1 to the classes.
/// </summary>
public sealed class SegmentationHead : HeadDescriptor
{
    public SegmentationHead()
        : base("segmentation", ModelTask.Segmentation, "SegmentationHead", "Per-pixel class logits: [Conv3×3 + ReLU per channel_list entry] → dropout → Conv1×1.",
            ParameterInfo.Required("num_classes", ParameterType.Int(2, 100000), "Classes to predict (2 for water / not water)."),
            ParameterInfo.Optional("channel_list", ParameterType.ListOf(ParameterType.Int(1, 65536), minCount: 1), "Channels of the Conv3×3 blocks before the classifier."),
            ParameterInfo.With("dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout before the classifier."))
    {
    }

    public override int OutputChannels(ArgumentList args) => args.Int("num_classes");

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var map = input.Tensors[0];
        return FeatureShape.Map(args.Int("num_classes"), map[1], map[2]);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        var widths = Widths(input, args);
        long blocks = 0;
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            blocks += ConvCounts.Conv(widths[i], widths[i + 1], 3, bias: true);
        }

        return blocks + ConvCounts.Conv(widths[widths.Count - 1], args.Int("num_classes"), 1, bias: true);
    }

    /// <summary>
    /// Per sample (<see cref="ConvActivations"/>): each Conv3×3 + ReLU block keeps its ReLU output (its input is the
    /// previous output); dropout keeps its mask and output (the classifier's input); the logits are the loss's.
    /// </summary>
    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        var map = input.Tensors[0];
        long area = (long)map[1] * map[2];
        var widths = Widths(input, args);
        long blocks = settings.Training ? widths.Skip(1).Sum(w => ConvActivations.Map(w, area, settings)) : 0;
        long dropout = ConvActivations.Dropout(widths[widths.Count - 1], area, args.Double("dropout"), settings);
        long transient = ConvActivations.Map(widths.Max() + args.Int("num_classes"), area, settings);
        return new ActivationEstimate(blocks + dropout, transient);
    }

    private static List<int> Widths(FeatureShape input, ArgumentList args)
    {
        var widths = new List<int> { input.Channels[0] };
        widths.AddRange(args.IntListOrNull("channel_list") ?? System.Array.Empty<int>());
        return widths;
    }
}
