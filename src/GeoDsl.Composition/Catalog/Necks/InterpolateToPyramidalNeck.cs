using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>TerraTorch <c>InterpolateToPyramidal</c>: feature i of n is upsampled by scale_factor^(n−i), so 4 maps become ×16, ×8, ×4, ×2.</summary>
public sealed class InterpolateToPyramidalNeck : StageDescriptor
{
    public InterpolateToPyramidalNeck()
        : base("interpolate_to_pyramidal", ComponentKind.Neck, "Upsample same-size maps into a pyramid (feature i of n by scale_factor^(n−i)).",
            ParameterInfo.With("scale_factor", ParameterType.Int(1, 8), 2L, "Scale between pyramid levels."),
            ParameterInfo.With("mode", ParameterType.OneOf("nearest", "bilinear", "bicubic"), "nearest", "Interpolation mode."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        int factor = args.Int("scale_factor");
        int n = input.Count;
        return FeatureShape.Maps(input.Tensors.Select((t, i) =>
        {
            int scale = Pow(factor, n - i);
            return TensorShape.Of(t[0], t[1] * scale, t[2] * scale);
        }));
    }

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;

    internal static int Pow(int value, int exponent)
    {
        int result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result = checked(result * value);
        }

        return result;
    }
}
