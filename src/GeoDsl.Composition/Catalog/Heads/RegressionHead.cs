using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Heads;

/// <summary>
/// TerraTorch <c>RegressionHead</c> (heads/regression_head.py): optional PixelShuffle ×2 upscales (Conv3×3 C → 4C,
/// shuffle, BatchNorm, ReLU), optional Conv3×3 (no bias) + BatchNorm + ReLU blocks, dropout, Conv1×1 → outputs.
/// </summary>
public sealed class RegressionHead : HeadDescriptor
{
    public RegressionHead()
        : base("regression", ModelTask.Regression, "RegressionHead", "Per-pixel values: [PixelShuffle ×2]… → [Conv3×3 + BN + ReLU]… → dropout → Conv1×1.",
            ParameterInfo.With("num_outputs", ParameterType.Int(1, 10000), 1L, "Values predicted per pixel."),
            ParameterInfo.With("learned_upscale_layers", ParameterType.Int(0, 6), 0L, "PixelShuffle ×2 upscales before the convolutions."),
            ParameterInfo.Optional("channel_list", ParameterType.ListOf(ParameterType.Int(1, 65536), minCount: 1), "Channels of the Conv3×3 blocks."),
            ParameterInfo.Optional("final_act", ParameterType.OneOf("relu", "sigmoid", "softplus", "tanh"), "Activation applied to the output."),
            ParameterInfo.With("dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout before the output convolution."))
    {
    }

    public override int OutputChannels(ArgumentList args) => args.Int("num_outputs");

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var map = input.Tensors[0];
        int scale = 1 << args.Int("learned_upscale_layers");
        return FeatureShape.Map(args.Int("num_outputs"), map[1] * scale, map[2] * scale);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long c = input.Channels[0];
        long total = args.Int("learned_upscale_layers") * (ConvCounts.Conv(c, 4 * c, 3, bias: true) + ConvCounts.BatchNorm(c));
        long previous = c;
        foreach (int width in args.IntListOrNull("channel_list") ?? System.Array.Empty<int>())
        {
            total += ConvCounts.Conv(previous, width, 3, bias: false) + ConvCounts.BatchNorm(width);
            previous = width;
        }

        return total + ConvCounts.Conv(previous, args.Int("num_outputs"), 1, bias: true);
    }

    /// <summary>
    /// Per sample (<see cref="ConvActivations"/>): each PixelShuffle upscale keeps its convolution's output (shuffled:
    /// BatchNorm's input) and ReLU output; each Conv3×3 block its BatchNorm input and ReLU output; dropout its mask and output.
    /// </summary>
    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        var map = input.Tensors[0];
        long c = map[0];
        long area = (long)map[1] * map[2];
        long saved = 0;
        for (int i = 0; i < args.Int("learned_upscale_layers"); i++)
        {
            area *= 4;
            saved += ConvActivations.ConvNormReLU(c, area, settings);
        }

        long previous = c;
        foreach (int width in args.IntListOrNull("channel_list") ?? System.Array.Empty<int>())
        {
            saved += ConvActivations.ConvNormReLU(width, area, settings);
            previous = width;
        }

        saved += ConvActivations.Dropout(previous, area, args.Double("dropout"), settings);
        return new ActivationEstimate(saved, ConvActivations.Map(4 * c, area, settings));
    }
}
