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

    /// <summary>
    /// Per block (<see cref="ConvActivations"/>): the transposed convolution's output (the 3×3 convolution's input), the
    /// LayerNorm's input copy and the GELU's input (fp32 under autocast), and the GELU's output as the next block's input.
    /// </summary>
    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        long c = args.Int("channels");
        var map = input.Tensors[StageRules.Normalise(args.Int("in_index"), input.Count) ?? 0];
        long area = (long)map[1] * map[2];
        int blocks = args.Int("num_convs");
        long saved = 0;
        long largest = 0;
        for (int i = 0; i < blocks; i++)
        {
            area *= 4;
            long nextInput = i + 1 < blocks ? ConvActivations.FreshInput(c, area, settings) : 0; // the last block's output is the head's input
            saved += ConvActivations.FreshInput(c, area, settings) + ConvActivations.LayerNormGelu(c, area, settings) + nextInput;
            largest = ConvActivations.Map(2 * c, area, settings) + (3 * c * area * settings.StreamBytes);
        }

        // The last block's 3×3 convolution runs on the largest map.
        return new ActivationEstimate(saved, largest) { ConvolutionWorkspaceBytes = ConvActivations.Workspace(c, area, settings) };
    }
}
