using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>
/// TerraTorch <c>PermuteDims</c>: permutes every tensor's dimensions. GeoDsl offers the permutation decoders need,
/// channel-last (Swin stages) → channel-first ([0, 3, 1, 2]); any other order would leave the feature kind
/// unknown to the checks downstream, so it is rejected.
/// </summary>
public sealed class PermuteDimsNeck : StageDescriptor
{
    private static readonly int[] ToChannelFirst = { 0, 3, 1, 2 };

    public PermuteDimsNeck()
        : base("permute_dims", ComponentKind.Neck, "Permute dimensions: [0, 3, 1, 2] turns channel-last maps (Swin) into channel-first maps.",
            ParameterInfo.Required("new_order", ParameterType.ListOf(ParameterType.Int(0, 3), 4, 4), "The permutation, batch first: [0, 3, 1, 2]."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var order = args.IntList("new_order");
        if (order.SequenceEqual(ToChannelFirst))
        {
            return FeatureShape.Maps(input.Tensors.Select(t => TensorShape.Of(t[2], t[0], t[1])));
        }

        context.ReportAt("new_order", DiagnosticDescriptors.ArgumentOutOfRange, "new_order", Title,
            "[0, 3, 1, 2] (channel-last to channel-first)", "[" + string.Join(", ", order) + "]");
        return null;
    }

    public override IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.ChannelLastMaps };

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
