using System.Collections.Generic;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Heads;

/// <summary>
/// TerraTorch <c>ClassificationHead</c> (heads/classification_head.py): flattens [B, C, …] to [B, L, C], applies
/// [Linear + ReLU per dim_list entry] → dropout → Linear per position and averages over positions (or pools first
/// with <c>linear_after_pool</c>). Pooled vectors [B, D] are one position.
/// </summary>
public sealed class ClassificationHead : HeadDescriptor
{
    public ClassificationHead()
        : base("classification", ModelTask.Classification, "ClassificationHead", "Scene classes: [Linear + ReLU]… → dropout → Linear, averaged over positions.",
            ParameterInfo.Required("num_classes", ParameterType.Int(2, 100000), "Classes to predict."),
            ParameterInfo.Optional("dim_list", ParameterType.ListOf(ParameterType.Int(1, 65536), minCount: 1), "Widths of the hidden Linear layers."),
            ParameterInfo.With("dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout before the classifier."),
            ParameterInfo.With("linear_after_pool", ParameterType.Bool, false, "Average over positions first, then classify."))
    {
    }

    public override int OutputChannels(ArgumentList args) => args.Int("num_classes");

    /// <summary>Maps are averaged over positions, so both maps and pooled vectors fit; tokens need a neck first.</summary>
    public override IReadOnlyList<FeatureKind> Accepts { get; } = new[] { FeatureKind.Pooled, FeatureKind.Maps };

    public override FeatureKind? Produces => FeatureKind.Pooled;

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        return new FeatureShape(FeatureKind.Pooled, Helpers.EquatableArray.Create(TensorShape.Of(args.Int("num_classes"))));
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long previous = input.Channels[0];
        long total = 0;
        foreach (int width in args.IntListOrNull("dim_list") ?? System.Array.Empty<int>())
        {
            total += ConvCounts.Linear(previous, width);
            previous = width;
        }

        return total + ConvCounts.Linear(previous, args.Int("num_classes"));
    }
}
