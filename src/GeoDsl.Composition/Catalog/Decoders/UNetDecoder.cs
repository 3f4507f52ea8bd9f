using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>
/// TerraTorch <c>UNetDecoder</c> (decoders/unet_decoder.py) around segmentation_models_pytorch's <c>UnetDecoder</c>
/// with encoder channels [C0, C0, C1, …] (the first map duplicated, as smp drops it). From the coarsest map, each
/// block upsamples (nearest), concatenates the next finer map, and applies two Conv3×3 → BatchNorm → ReLU. The last
/// block has no skip; what it does depends on the smp version TerraTorch runs on:
/// <list type="bullet">
/// <item><c>smp04</c> (smp ≤ 0.4, TerraTorch 1.0.x; the trace of terratorch-facts.md §6): every block upsamples ×2, so
/// the output is twice the finest map's size; convolutions before BatchNorm have no bias.</item>
/// <item><c>smp05</c> (smp ≥ 0.5, TerraTorch 1.1+): each block resizes to the next finer map and the last one to the
/// finest map itself, so the output has the finest map's size; convolutions keep their bias.</item>
/// </list>
/// </summary>
public sealed class UNetDecoder : DecoderDescriptor
{
    public UNetDecoder()
        : base("unet", "UNetDecoder", "U-Net decoder over a ×2 pyramid: one block per map, output twice the finest size.",
            ParameterInfo.Required("channels", ParameterType.ListOf(ParameterType.Int(1, 65536), minCount: 1), "Output channels of each block, one per input map (coarsest first)."),
            ParameterInfo.With("use_batchnorm", ParameterType.Bool, true, "BatchNorm in each convolution block (else no norm, with conv bias)."),
            ParameterInfo.With("smp_flavor", ParameterType.OneOf("smp04", "smp05"), "smp04", "Block layout of the segmentation_models_pytorch version whose checkpoints to match: smp04 (×2 output, TerraTorch 1.0) or smp05 (TerraTorch 1.1+)."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var channels = args.IntList("channels");
        if (channels.Count != input.Count)
        {
            context.ReportAt("channels", DiagnosticDescriptors.ChannelListLength, Title, StageRules.Text(channels.Count), "channels",
                $"{input.Count} ({input.DescribeShapes()})");
            return null;
        }

        var maps = input.Tensors;
        for (int i = 1; i < maps.Count; i++)
        {
            if (maps[i][1] * 2 != maps[i - 1][1] || maps[i][2] * 2 != maps[i - 1][2])
            {
                string sizes = string.Join(", ", maps.Select(m => $"{m[1]}×{m[2]}"));
                bool sameSize = maps.All(m => m[1] == maps[0][1] && m[2] == maps[0][2]);
                string fix = sameSize
                    ? " Add 'neck learned_interpolate_to_pyramidal' (4 maps) or 'neck interpolate_to_pyramidal' before it."
                    : string.Empty;
                // The fix inserts the neck TerraTorch's Prithvi + UNet configurations use: learned for exactly 4 maps.
                var properties = sameSize
                    ? DiagnosticProperties.InsertNeckBefore(maps.Count == 4 ? "learned_interpolate_to_pyramidal" : "interpolate_to_pyramidal")
                    : Helpers.EquatableArray<DiagnosticProperty>.Empty;
                context.ReportWithFix(null, DiagnosticDescriptors.PyramidScaleMismatch, properties, Title, sizes, fix);
                return null;
            }
        }

        var finest = maps[0];
        int scale = IsSmp05(args) ? 1 : 2;
        return FeatureShape.Map(channels[channels.Count - 1], finest[1] * scale, finest[2] * scale);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        var blocks = Blocks(input, args);
        bool norm = args.Bool("use_batchnorm");
        bool bias = !norm || IsSmp05(args);
        return blocks.Sum(b =>
            ConvCounts.Conv(b.In + b.Skip, b.Out, 3, bias) + (norm ? ConvCounts.BatchNorm(b.Out) : 0) +
            ConvCounts.Conv(b.Out, b.Out, 3, bias) + (norm ? ConvCounts.BatchNorm(b.Out) : 0));
    }

    /// <summary>
    /// Per block (<see cref="ConvActivations"/>): the upsampled map concatenated with its skip (a fresh tensor, conv1's input),
    /// then two ConvModules (BatchNorm input and ReLU output each); without BatchNorm, the ReLU output only.
    /// </summary>
    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        bool norm = args.Bool("use_batchnorm");
        long saved = 0;
        long largest = 0;
        long workspace = 0;
        foreach (var block in Blocks(input, args))
        {
            long area = (long)block.Height * block.Width;
            workspace = System.Math.Max(workspace, ConvActivations.Workspace(System.Math.Max(block.In + block.Skip, block.Out), area, settings));
            long convs = norm
                ? 2 * ConvActivations.ConvNormReLU(block.Out, area, settings)
                : settings.Training ? 2 * ConvActivations.Map(block.Out, area, settings) : 0;
            saved += ConvActivations.FreshInput(block.In + block.Skip, area, settings) + convs;

            // Working set: the upsampled map, the concatenation and the two convolutions' outputs.
            largest = System.Math.Max(largest, ConvActivations.Map(block.In + (block.In + block.Skip) + (2 * block.Out), area, settings));
        }

        return new ActivationEstimate(saved, largest) { ConvolutionWorkspaceBytes = workspace };
    }

    internal static bool IsSmp05(ArgumentList args) => args.Name("smp_flavor") == "smp05";

    /// <summary>The blocks coarsest first: input channels, skip channels, output channels and output size.</summary>
    internal static System.Collections.Generic.List<(long In, long Skip, long Out, int Height, int Width)> Blocks(FeatureShape input, ArgumentList args)
    {
        var channels = args.IntList("channels");
        var maps = input.Tensors;
        var blocks = new System.Collections.Generic.List<(long, long, long, int, int)>();
        long previous = maps[maps.Count - 1][0];
        for (int i = 0; i < channels.Count; i++)
        {
            // Block i upsamples to the size of map n-2-i and concatenates it; the last block has no skip.
            int skipIndex = maps.Count - 2 - i;
            long skip = skipIndex >= 0 ? maps[skipIndex][0] : 0;
            var reference = maps[System.Math.Max(0, skipIndex)];
            int lastScale = IsSmp05(args) ? 1 : 2;
            int height = skipIndex >= 0 ? reference[1] : maps[0][1] * lastScale;
            int width = skipIndex >= 0 ? reference[2] : maps[0][2] * lastScale;
            blocks.Add((previous, skip, channels[i], height, width));
            previous = channels[i];
        }

        return blocks;
    }
}
