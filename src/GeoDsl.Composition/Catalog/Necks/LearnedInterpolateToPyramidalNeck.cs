using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>
/// TerraTorch <c>LearnedInterpolateToPyramidal</c>, exactly 4 maps: fpn1 = ConvT2 → BatchNorm → GELU → ConvT2 (C/4 at ×4),
/// fpn2 = ConvT2 (C/2 at ×2), fpn3 = identity, fpn4 = MaxPool2 (at /2).
/// </summary>
public sealed class LearnedInterpolateToPyramidalNeck : StageDescriptor
{
    public LearnedInterpolateToPyramidalNeck()
        : base("learned_interpolate_to_pyramidal", ComponentKind.Neck, "Learned transposed convolutions turn 4 same-size maps into a ×4, ×2, ×1, /2 pyramid.")
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        if (input.Count != 4)
        {
            context.Report(DiagnosticDescriptors.WrongFeatureCount, Title, "exactly 4 feature maps", $"{input.Count} ({input.DescribeShapes()})",
                context.PreviousStage + "; select 4, e.g. 'neck select_indices { indices = [5, 11, 17, 23] }'");
            return null;
        }

        var c = input.Channels;
        if (c[0] % 4 != 0)
        {
            context.Report(DiagnosticDescriptors.ChannelsNotDivisible, Title, "0", "4", StageRules.Text(c[0]));
            return null;
        }

        if (c[1] % 2 != 0)
        {
            context.Report(DiagnosticDescriptors.ChannelsNotDivisible, Title, "1", "2", StageRules.Text(c[1]));
            return null;
        }

        var t = input.Tensors;
        if (t[3][1] < 2 || t[3][2] < 2)
        {
            context.Report(DiagnosticDescriptors.FeatureMapTooSmall, Title, $"{t[3][1]}×{t[3][2]}");
            return null;
        }

        return FeatureShape.Maps(new[]
        {
            TensorShape.Of(c[0] / 4, t[0][1] * 4, t[0][2] * 4),
            TensorShape.Of(c[1] / 2, t[1][1] * 2, t[1][2] * 2),
            t[2],
            TensorShape.Of(c[3], t[3][1] / 2, t[3][2] / 2),
        });
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long c0 = input.Channels[0];
        long c1 = input.Channels[1];
        long fpn1 = ConvCounts.Conv(c0, c0 / 2, 2, bias: true) + ConvCounts.BatchNorm(c0 / 2) + ConvCounts.Conv(c0 / 2, c0 / 4, 2, bias: true);
        long fpn2 = ConvCounts.Conv(c1, c1 / 2, 2, bias: true);
        return fpn1 + fpn2;
    }

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        var t = input.Tensors;
        var o = output.Tensors;
        long e = settings.ComputeBytes;

        // fpn1: ConvT input, BatchNorm input (C/2 at ×2), GELU input, second ConvT input; fpn2: ConvT input; fpn4: pool indices (int64).
        long half = (t[0][0] / 2) * (t[0][1] * 2L) * (t[0][2] * 2L);
        long saved = (t[0].Elements + (3 * half) + t[1].Elements) * e + (o[3].Elements * 8);
        long outputs = (o[0].Elements + o[1].Elements + o[2].Elements + o[3].Elements) * e;
        return new ActivationEstimate(settings.Training ? saved : 0, outputs + (half * e));
    }
}
