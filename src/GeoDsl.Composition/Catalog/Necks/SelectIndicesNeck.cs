using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>TerraTorch <c>SelectIndices</c>: keeps the features at the given indices (negative counts from the end).</summary>
public sealed class SelectIndicesNeck : StageDescriptor
{
    public SelectIndicesNeck()
        : base("select_indices", ComponentKind.Neck, "Keep the features at the given indices, e.g. the blocks [5, 11, 17, 23] of a 24-block ViT.",
            ParameterInfo.Required("indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Indices into the incoming features; negative counts from the end."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var selected = new System.Collections.Generic.List<TensorShape>();
        var indices = args.IntList("indices");
        for (int item = 0; item < indices.Count; item++)
        {
            int index = indices[item];
            if (StageRules.Normalise(index, input.Count) is not { } resolved)
            {
                context.ReportAt(Binding.SpecLocations.Item("indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, StageRules.Text(index), Title, context.PreviousStage,
                    StageRules.Text(input.Count), StageRules.ValidRange(input.Count));
                return null;
            }

            selected.Add(input.Tensors[resolved]);
        }

        return input with { Tensors = selected.ToEquatableArray() };
    }

    public override IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.Tokens, FeatureKind.Maps, FeatureKind.ChannelLastMaps, FeatureKind.Pooled };

    public override FeatureKind? Produces => null;

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
