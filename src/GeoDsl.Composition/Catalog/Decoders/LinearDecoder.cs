using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>
/// TerraTorch <c>LinearDecoder</c> (decoders/linear_decoder.py, <c>includes_head = True</c>): one
/// ConvTranspose2d(C → num_classes, kernel = stride = upsampling_size) that is the prediction itself.
/// </summary>
public sealed class LinearDecoder : DecoderDescriptor
{
    public LinearDecoder()
        : base("linear", "LinearDecoder", "Predict directly with one transposed convolution (includes the head).",
            ParameterInfo.Required("num_classes", ParameterType.Int(1, 100000), "Output channels: classes (or 1 for regression)."),
            ParameterInfo.Required("upsampling_size", ParameterType.Int(1, 64), "Kernel and stride of the transposed convolution: the upsampling factor."),
            ParameterInfo.With("in_index", ParameterType.Int(), -1L, "Which map to decode."))
    {
    }

    public override bool IncludesHead => true;

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        if (PickMap(input, args, "in_index", context) is not { } map)
        {
            return null;
        }

        int up = args.Int("upsampling_size");
        return FeatureShape.Map(args.Int("num_classes"), map[1] * up, map[2] * up);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long inChannels = input.Tensors[StageRules.Normalise(args.Int("in_index"), input.Count) ?? 0][0];
        return ConvCounts.Conv(inChannels, args.Int("num_classes"), args.Int("upsampling_size"), bias: true);
    }

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        // The transposed convolution keeps its input (the chosen map, counted where it was made) and makes the prediction.
        return new ActivationEstimate(0, ConvActivations.Map(output.Tensors[0][0], (long)output.Tensors[0][1] * output.Tensors[0][2], settings));
    }
}
