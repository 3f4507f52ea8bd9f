using System.Collections.Generic;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>
/// TerraTorch <c>AggregateTokens</c>: pools the tokens of one feature (default the last) into a vector [B, D]:
/// mean, max or min over tokens, or the class token. (TerraTorch's integer-pooling branch raises a NameError;
/// it is not offered here.)
/// </summary>
public sealed class AggregateTokensNeck : StageDescriptor
{
    public AggregateTokensNeck()
        : base("aggregate_tokens", ComponentKind.Neck, "Pool one feature's tokens into a vector (mean, max, min, or the class token).",
            ParameterInfo.With("pooling", ParameterType.OneOf("mean", "max", "min", "CLS"), "mean", "How tokens are pooled."),
            ParameterInfo.With("index", ParameterType.Int(), -1L, "Which feature to pool."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        int index = args.Int("index");
        if (StageRules.Normalise(index, input.Count) is not { } resolved)
        {
            context.ReportAt("index", DiagnosticDescriptors.FeatureIndexOutOfRange, StageRules.Text(index), Title, context.PreviousStage,
                StageRules.Text(input.Count), StageRules.ValidRange(input.Count));
            return null;
        }

        if (args.Name("pooling") == "CLS" && input.Tokens is { HasClsToken: false })
        {
            context.ReportAt("pooling", DiagnosticDescriptors.NoClsTokenToRemove, Title + " with pooling = CLS", context.PreviousStage);
            return null;
        }

        return new FeatureShape(FeatureKind.Pooled, Helpers.EquatableArray.Create(TensorShape.Of(input.Tensors[resolved][1])));
    }

    public override IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.Tokens };

    public override FeatureKind? Produces => FeatureKind.Pooled;

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
