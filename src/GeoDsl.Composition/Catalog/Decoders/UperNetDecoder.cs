using System.Linq;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Decoders;

/// <summary>
/// TerraTorch <c>UperNetDecoder</c> (decoders/upernet_decoder.py, after MMSegmentation): a pooling pyramid on the
/// last map, lateral 1×1 and FPN 3×3 ConvModules (conv without bias → BatchNorm → ReLU) on the others, fused at
/// the size of the first (finest) map.
/// </summary>
public sealed class UperNetDecoder : DecoderDescriptor
{
    public UperNetDecoder()
        : base("uper_net", "UperNetDecoder", "UPerNet: pyramid pooling on the coarsest map plus an FPN, output at the finest map's size.",
            ParameterInfo.With("pool_scales", ParameterType.ListOf(ParameterType.Int(1, 64), minCount: 1), ParameterInfo.Ints(1, 2, 3, 6), "Output sizes of the pyramid pooling."),
            ParameterInfo.With("channels", ParameterType.Int(1, 65536), 256L, "Channels inside the decoder and of its output."),
            ParameterInfo.With("align_corners", ParameterType.Bool, true, "align_corners of the bilinear resizes."))
    {
    }

    public override FeatureShape? Infer(FeatureShape input, ArgumentList args, ShapeContext context)
    {
        var first = input.Tensors[0];
        return FeatureShape.Map(args.Int("channels"), first[1], first[2]);
    }

    public override long CountParameters(FeatureShape input, ArgumentList args)
    {
        long c = args.Int("channels");
        var channels = input.Channels;
        long last = channels[channels.Count - 1];
        int scales = args.IntList("pool_scales").Count;
        long ppm = scales * ConvModule(last, c, 1);
        long bottleneck = ConvModule(last + (scales * c), c, 3);
        long fpn = channels.Take(channels.Count - 1).Sum(ci => ConvModule(ci, c, 1) + ConvModule(c, c, 3));
        long fuse = ConvModule(channels.Count * c, c, 3);
        return ppm + bottleneck + fpn + fuse;
    }

    /// <summary>
    /// Per sample (<see cref="ConvActivations"/>): each lateral and FPN ConvModule keeps its BatchNorm input and ReLU output;
    /// the top-down sums, the pyramid-pooling concatenation and the fused concatenation at the finest size are fresh
    /// tensors kept as their convolution's input. The input maps are the necks' or backbone's, counted there.
    /// </summary>
    public override ActivationEstimate EstimateActivations(FeatureShape input, FeatureShape output, ArgumentList args, ActivationSettings settings)
    {
        long c = args.Int("channels");
        var maps = input.Tensors;
        var last = maps[maps.Count - 1];
        long lastArea = (long)last[1] * last[2];
        long firstArea = (long)maps[0][1] * maps[0][2];
        int scales = args.IntList("pool_scales").Count;

        // Pyramid pooling on the last map: the concatenation [last, s pooled maps upsampled] feeds the 3×3 bottleneck.
        long saved = ConvActivations.FreshInput(last[0] + (scales * c), lastArea, settings) + ConvActivations.ConvNormReLU(c, lastArea, settings);
        for (int i = 0; i < maps.Count - 1; i++)
        {
            long area = (long)maps[i][1] * maps[i][2];

            // Lateral 1×1 ConvModule; lateral + upsampled coarser level (a new tensor, the FPN conv's input); FPN 3×3 ConvModule.
            saved += ConvActivations.ConvNormReLU(c, area, settings) + ConvActivations.FreshInput(c, area, settings) + ConvActivations.ConvNormReLU(c, area, settings);
        }

        // Every level upsampled to the finest size and concatenated, into the 3×3 fpn_bottleneck.
        saved += ConvActivations.FreshInput(maps.Count * c, firstArea, settings) + ConvActivations.ConvNormReLU(c, firstArea, settings);

        // Largest working set, at the finest size: the coarser levels upsampled for the concatenation. In inference nothing
        // is saved, so the FPN outputs, the concatenation and the bottleneck's output are working memory too.
        long transient = settings.Training
            ? ConvActivations.Map((maps.Count - 1) * c, firstArea, settings)
            : ConvActivations.Map(((2 * maps.Count) + 1) * c, firstArea, settings);
        // The largest convolution is the 3×3 fpn_bottleneck over all levels concatenated at the finest size.
        return new ActivationEstimate(saved, transient) { ConvolutionWorkspaceBytes = ConvActivations.Workspace(maps.Count * c, firstArea, settings) };
    }

    private static long ConvModule(long inChannels, long outChannels, long kernel) =>
        ConvCounts.Conv(inChannels, outChannels, kernel, bias: false) + ConvCounts.BatchNorm(outChannels);
}
