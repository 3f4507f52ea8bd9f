using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>A torchvision ConvNeXt resolved for one model: every number the runtime needs to build it.</summary>
public sealed record ConvNeXtArchitecture(
    int InChannels,
    EquatableArray<int> Dims,
    EquatableArray<int> Depths,
    int ImageHeight,
    int ImageWidth,
    EquatableArray<int> OutIndices,
    double DropPath,
    double LayerScale)
{
    public int Stages => Dims.Count;

    /// <summary>Stage <paramref name="stage"/>'s stride: 4 from the stem, then ×2 per downsampling layer.</summary>
    public static int Stride(int stage) => 4 << stage;
}

/// <summary>
/// torchvision's <c>ConvNeXt</c> (torchvision 0.14 <c>torchvision/models/convnext.py</c>) as a backbone: a 4×4 stride-4
/// stem with LayerNorm2d (<c>features.0</c>), stages of CNBlocks (<c>features.1, 3, 5, 7</c>: 7×7 depthwise conv, LayerNorm
/// eps 1e-6, Linear 4× → GELU → Linear, <c>layer_scale</c>, stochastic depth) with LayerNorm2d + 2×2 stride-2 conv
/// downsampling between them (<c>features.2, 4, 6</c>). Outputs every stage's map [B, C_i, H/4·2^-i, W/4·2^-i]
/// (channel-first, strides 4, 8, 16, 32); <c>out_indices</c> selects stages. Any number of input bands; ImageNet weights are RGB.
/// </summary>
public sealed class ConvNeXtBackbone : BackboneDescriptor
{
    public ConvNeXtBackbone(ConvNeXtVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public ConvNeXtVariant Variant { get; }

    /// <summary>ImageNet RGB, in torchvision's channel order.</summary>
    public override IReadOnlyList<string> PretrainedBands => Bands.FindSensor("s2_rgb")!.Bands;

    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.ConvNeXt.TorchvisionConvNeXt";

    /// <summary>The last stage's stride, so every stage's map is exactly half the one before (torchvision itself floors).</summary>
    public override int PaddingMultiple(ArgumentList args) => ConvNeXtArchitecture.Stride((args.IntListOrNull("dims") ?? Variant.Dims).Count - 1);

    /// <summary>The network's numbers for this input and these arguments.</summary>
    public ConvNeXtArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        var dims = args.IntListOrNull("dims") ?? Variant.Dims;
        var depths = args.IntListOrNull("depths") ?? Variant.Depths;
        int multiple = PaddingMultiple(args);
        int stages = dims.Count;
        var outIndices = args.IntListOrNull("out_indices") ?? Enumerable.Range(0, stages).ToList();
        return new ConvNeXtArchitecture(
            InChannels: input.Channels,
            Dims: dims.ToEquatableArray(),
            Depths: depths.ToEquatableArray(),
            ImageHeight: RoundUp(input.Height, multiple),
            ImageWidth: RoundUp(input.Width, multiple),
            OutIndices: outIndices.Select(i => i < 0 ? stages + i : i).ToEquatableArray(),
            DropPath: args.DoubleOrNull("drop_path") ?? 0.0,
            LayerScale: args.DoubleOrNull("layer_scale") ?? 1e-6);
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var arch = Resolve(input, args);
        if (arch.Depths.Count != arch.Stages)
        {
            context.ReportAt("depths", DiagnosticDescriptors.ArgumentOutOfRange, "depths", Title,
                $"one block count per stage ({arch.Stages} stages in dims)", $"{arch.Depths.Count} entries");
            return null;
        }

        if (input.Frames != 1)
        {
            // Only reached when nothing runs the backbone per frame; the closest existing diagnostic (see report).
            context.Report(DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title, "1: a ConvNeXt encodes one image", input.Frames.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            int index = requested[item];
            if (index >= arch.Stages || index < -arch.Stages)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, index.ToString(CultureInfo.InvariantCulture),
                    "out_indices of " + Title, "its stages", arch.Stages.ToString(CultureInfo.InvariantCulture), $"-{arch.Stages}..{arch.Stages - 1}");
                return null;
            }
        }

        return FeatureShape.Maps(arch.OutIndices.Select(i => StageShape(arch, i)));
    }

    public override long CountParameters(InputSpec input, ArgumentList args) => CountParameters(Resolve(input, args));

    /// <summary>
    /// Stem conv C·16·D0 + D0 and LayerNorm2d 2·D0; per CNBlock of width d: depthwise 49d + d, LayerNorm 2d, Linear d·4d + 4d,
    /// Linear 4d·d + d, layer_scale d = 8d² + 58d; downsampling i→i+1: LayerNorm2d 2·D_i, conv 4·D_i·D_(i+1) + D_(i+1).
    /// No classifier (torchvision's <c>classifier</c> adds 2·D_last + 1000·D_last + 1000).
    /// </summary>
    public static long CountParameters(ConvNeXtArchitecture a)
    {
        long total = ConvCounts.Conv(a.InChannels, a.Dims[0], 4, bias: true) + (2L * a.Dims[0]);
        for (int stage = 0; stage < a.Stages; stage++)
        {
            long d = a.Dims[stage];
            total += a.Depths[stage] * ((8 * d * d) + (58 * d));
            if (stage + 1 < a.Stages)
            {
                total += (2 * d) + ConvCounts.Conv(d, a.Dims[stage + 1], 2, bias: true);
            }
        }

        return total;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long stream = settings.StreamBytes;
        long compute = settings.ComputeBytes;
        bool weightInputs = settings.KeepsWeightInputs;
        int lastStage = a.OutIndices.Max();
        long Area(int stage) => (long)(a.ImageHeight / ConvNeXtArchitecture.Stride(stage)) * (a.ImageWidth / ConvNeXtArchitecture.Stride(stage));

        // The selected stages' maps stay alive until the decoder has used them.
        long outputs = output.Tensors.Sum(t => t.Elements) * stream;

        // Stem: the pixels (the 4×4 conv's input, for its weight gradient) and the LayerNorm2d input with its statistics.
        long pixels = (long)a.InChannels * a.ImageHeight * a.ImageWidth;
        long saved = (weightInputs ? pixels * compute : 0) + (a.Dims[0] * Area(0) * stream) + (Area(0) * 8);
        long transient = 0;
        long workspace = ConvActivations.Workspace(a.InChannels, (long)a.ImageHeight * a.ImageWidth, settings);
        for (int stage = 0; stage <= lastStage; stage++)
        {
            long d = a.Dims[stage];
            long area = Area(stage);
            if (stage > 0)
            {
                // Downsampling: LayerNorm2d input and statistics (previous width), the 2×2 conv's input.
                long previous = a.Dims[stage - 1] * Area(stage - 1);
                saved += (previous * stream) + (Area(stage - 1) * 8) + (weightInputs ? previous * compute : 0);
            }

            // A CNBlock (convnext.py): the depthwise conv's input, the LayerNorm input and statistics, the first Linear's
            // input (d), the GELU input (4d), the second Linear's input (4d) and the branch output that layer_scale
            // multiplies (d); the convolutions' and Linears' inputs and that product only for their weight gradients.
            long always = (d * area * stream) + (area * 8) + (4 * d * area * compute);
            long forWeights = ((d * area * stream) + (d * area * compute) + (4 * d * area * compute) + (d * area * compute));
            saved += a.Depths[stage] * (always + (weightInputs ? forWeights : 0));

            // While a block runs: its input, the norm output and the 4d hidden twice (Linear out, GELU out).
            transient = Math.Max(transient, (2 * d * area * stream) + (8 * d * area * compute));
            workspace = Math.Max(workspace, ConvActivations.Workspace(d, area, settings));
        }

        return settings.Training
            ? new ActivationEstimate(saved + outputs, transient) { ConvolutionWorkspaceBytes = workspace }
            : new ActivationEstimate(0, outputs + transient) { ConvolutionWorkspaceBytes = workspace };
    }

    private static TensorShape StageShape(ConvNeXtArchitecture a, int stage)
    {
        int stride = ConvNeXtArchitecture.Stride(stage);
        return TensorShape.Of(a.Dims[stage], a.ImageHeight / stride, a.ImageWidth / stride);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Summarise(ConvNeXtVariant v) =>
        $"torchvision ConvNeXt, channels {string.Join("/", v.Dims)}, blocks {string.Join("/", v.Depths)}, strides 4-32 ({v.Source})";

    private static ParameterInfo[] BuildParameters(ConvNeXtVariant v) => new[]
    {
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load published weights (the stem conv re-selected for the input bands)."),
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Stages whose maps are outputs (default: all; negative counts from the end)."),
        ParameterInfo.With("drop_path", ParameterType.Float(0, 0.99), 0.0,
            "Stochastic depth (torchvision's stochastic_depth_prob), rising linearly from 0 to this rate over the blocks; torchvision's own defaults are 0.1 (tiny) to 0.5 (base, large)."),
        ParameterInfo.With("layer_scale", ParameterType.Float(0, 1), 1e-6, "Initial layer-scale value of every block (torchvision's layer_scale)."),
        ParameterInfo.Optional("dims", ParameterType.ListOf(ParameterType.Int(1, 8192), minCount: 1, maxCount: 6),
            $"Override the stage channels ({string.Join(", ", v.Dims)}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("depths", ParameterType.ListOf(ParameterType.Int(1, 128), minCount: 1, maxCount: 6), $"Override the blocks per stage ({string.Join(", ", v.Depths)})."),
    };
}
