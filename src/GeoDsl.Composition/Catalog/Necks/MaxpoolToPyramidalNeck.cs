using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Necks;

/// <summary>TerraTorch <c>MaxpoolToPyramidal</c>: feature i is max-pooled with kernel kernel_size^i (i = 0 is copied), so 4 maps become /1, /2, /4, /8.</summary>
public sealed class MaxpoolToPyramidalNeck : StageDescriptor
{
    public MaxpoolToPyramidalNeck()
        : base("maxpool_to_pyramidal", ComponentKind.Neck, "Max-pool same-size maps into a pyramid (feature i by kernel_size^i).",
            ParameterInfo.With("kernel_size", ParameterType.Int(1, 8), 2L, "Pooling factor between pyramid levels."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        int kernel = args.Int("kernel_size");
        var maps = new System.Collections.Generic.List<TensorShape>();
        for (int i = 0; i < input.Count; i++)
        {
            var t = input.Tensors[i];
            int k = InterpolateToPyramidalNeck.Pow(kernel, i);
            if (t[1] / k < 1 || t[2] / k < 1)
            {
                context.Report(DiagnosticDescriptors.FeatureMapTooSmall, Title, $"{t[1]}×{t[2]}");
                return null;
            }

            maps.Add(TensorShape.Of(t[0], t[1] / k, t[2] / k));
        }

        return FeatureShape.Maps(maps);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args) => 0;
}
