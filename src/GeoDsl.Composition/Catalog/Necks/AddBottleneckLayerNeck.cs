using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>TerraTorch <c>AddBottleneckLayer</c>: appends Conv1×1(C_last → C_last/2) of the last map, so n maps become n + 1.</summary>
public sealed class AddBottleneckLayerNeck : StageDescriptor
{
    public AddBottleneckLayerNeck()
        : base("add_bottleneck_layer", ComponentKind.Neck, "Append a 1×1 convolution of the last map with half its channels (for decoders wanting one more level).")
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var last = input.Tensors[input.Count - 1];
        var maps = new System.Collections.Generic.List<TensorShape>(input.Tensors) { TensorShape.Of(last[0] / 2, last[1], last[2]) };
        return FeatureShape.Maps(maps);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long c = input.Channels[input.Count - 1];
        return ConvCounts.Conv(c, c / 2, 1, bias: true);
    }
}
