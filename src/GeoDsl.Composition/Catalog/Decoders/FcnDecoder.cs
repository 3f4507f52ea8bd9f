using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>
/// TerraTorch <c>FCNDecoder</c> (decoders/fcn_decoder.py): one map, then <c>num_convs</c> blocks of
/// ConvTranspose2d(k2, s2) → Conv3×3 → LayerNorm over channels → GELU, each doubling the size.
/// </summary>
public sealed class FcnDecoder : DecoderDescriptor
{
    public FcnDecoder()
        : base("fcn", "FCNDecoder", "Upsample one map by 2^num_convs with transposed convolutions.",
            ParameterInfo.With("channels", ParameterType.Int(1, 65536), 256L, "Channels of every block."),
            ParameterInfo.With("num_convs", ParameterType.Int(1, 8), 4L, "Blocks, each ×2 in size."),
            ParameterInfo.With("in_index", ParameterType.Int(), -1L, "Which map to decode."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        if (PickMap(input, args, "in_index", context) is not { } map)
        {
            return null;
        }

        int scale = 1 << args.Int("num_convs");
        return FeatureShape.Map(args.Int("channels"), map[1] * scale, map[2] * scale);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long inChannels = input.Tensors[StageRules.Normalise(args.Int("in_index"), input.Count) ?? 0][0];
        long c = args.Int("channels");
        long total = 0;
        for (int i = 0; i < args.Int("num_convs"); i++)
        {
            long cin = i == 0 ? inChannels : c;
            total += ConvCounts.Conv(cin, c, 2, bias: true) + ConvCounts.Conv(c, c, 3, bias: true) + ConvCounts.BatchNorm(c);
        }

        return total;
    }

    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        var map = input.Tensors[StageRules.Normalise(args.Int("in_index"), input.Count) ?? 0];
        long c = args.Int("channels");
        long area = (long)map[1] * map[2];
        long saved = map.Elements * settings.ComputeBytes;
        long largest = 0;
        for (int i = 0; i < args.Int("num_convs"); i++)
        {
            area *= 4;

            // Conv3×3 input, LayerNorm input (permuted copy), LayerNorm output, GELU input.
            long block = 4 * c * area * settings.ComputeBytes;
            saved += block;
            largest = block;
        }

        return new ActivationEstimate(settings.Training ? saved : 0, largest);
    }
}
