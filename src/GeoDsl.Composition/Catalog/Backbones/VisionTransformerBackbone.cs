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

/// <summary>A torchvision ViT resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="PositionRows">Rows of the stored learned position embedding (torchvision's <c>image_size / patch_size</c>).</param>
/// <param name="PositionColumns">Its columns; other grids interpolate it.</param>
public sealed record VisionTransformerArchitecture(
    int InChannels,
    int PatchSize,
    int NumLayers,
    int NumHeads,
    int HiddenDim,
    int MlpDim,
    int ImageHeight,
    int ImageWidth,
    int PositionRows,
    int PositionColumns,
    EquatableArray<int> OutIndices,
    double Dropout,
    double AttentionDropout)
{
    public int Rows => ImageHeight / PatchSize;

    public int Columns => ImageWidth / PatchSize;
}

/// <summary>
/// torchvision's <c>VisionTransformer</c> (torchvision 0.14 <c>torchvision/models/vision_transformer.py</c>) as a
/// backbone: a patchifying <c>conv_proj</c>, a <c>class_token</c>, a learned <c>encoder.pos_embedding</c>, pre-norm
/// encoder blocks (LayerNorm eps 1e-6, <c>nn.MultiheadAttention</c>, GELU MLP) and the final <c>encoder.ln</c>. Every
/// block's tokens [B, 1 + h·w, D] (class token first) are outputs, the last one after <c>encoder.ln</c>;
/// <c>out_indices</c> selects some. Any number of input bands; the ImageNet weights are RGB.
/// </summary>
/// <remarks>
/// The position embedding is a learned parameter, so the parameter count depends on the grid it is stored for:
/// by default the model's (padded) input grid, or <c>image_size</c>'s. Other grids, at run time or when loading
/// weights of another size, interpolate it bicubically as torchvision's <c>interpolate_embeddings</c> does.
/// </remarks>
public sealed class VisionTransformerBackbone : BackboneDescriptor
{
    public VisionTransformerBackbone(VisionTransformerVariant variant)
        : this(variant, variant.Name)
    {
    }

    public VisionTransformerBackbone(VisionTransformerVariant variant, string name)
        : base(name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public VisionTransformerVariant Variant { get; }

    /// <summary>ImageNet RGB, in torchvision's channel order.</summary>
    public override IReadOnlyList<string> PretrainedBands => Bands.FindSensor("s2_rgb")!.Bands;

    /// <summary>torchvision's <c>image_size</c> default (and that of every published ViT weight but vit_h_14's DEFAULT, 518).</summary>
    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.VisionTransformer.TorchvisionViT";

    /// <summary>Twice the patch, as TerraTorch's <c>pad_images</c> pads (terratorch-facts.md §2), like the other ViTs.</summary>
    public override int PaddingMultiple(ArgumentList args) => 2 * (args.IntOrNull("patch_size") ?? Variant.PatchSize);

    /// <summary>The encoder's numbers for this input and these arguments.</summary>
    public VisionTransformerArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int patch = args.IntOrNull("patch_size") ?? Variant.PatchSize;
        int multiple = 2 * patch;
        int height = RoundUp(input.Height, multiple);
        int width = RoundUp(input.Width, multiple);
        int? imageSize = args.IntOrNull("image_size");
        int depth = args.IntOrNull("num_layers") ?? Variant.NumLayers;
        var outIndices = args.IntListOrNull("out_indices");
        return new VisionTransformerArchitecture(
            InChannels: input.Channels,
            PatchSize: patch,
            NumLayers: depth,
            NumHeads: args.IntOrNull("num_heads") ?? Variant.NumHeads,
            HiddenDim: args.IntOrNull("hidden_dim") ?? Variant.HiddenDim,
            MlpDim: args.IntOrNull("mlp_dim") ?? Variant.MlpDim,
            ImageHeight: height,
            ImageWidth: width,
            PositionRows: (imageSize ?? height) / patch,
            PositionColumns: (imageSize ?? width) / patch,
            OutIndices: (outIndices ?? Enumerable.Range(0, depth).ToList()).Select(i => i < 0 ? depth + i : i).ToEquatableArray(),
            Dropout: args.DoubleOrNull("dropout") ?? 0.0,
            AttentionDropout: args.DoubleOrNull("attention_dropout") ?? 0.0);
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var arch = Resolve(input, args);
        if (arch.HiddenDim % arch.NumHeads != 0)
        {
            context.ReportAt("num_heads", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", Title,
                $"a divisor of hidden_dim {arch.HiddenDim}", arch.NumHeads.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (input.Frames != 1)
        {
            // Only reached when nothing runs the backbone per frame; the closest existing diagnostic (see report).
            context.Report(DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title, "1: a ViT encodes one image", input.Frames.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (args.IntOrNull("image_size") is int imageSize && imageSize % arch.PatchSize != 0)
        {
            // torchvision asserts "Input shape indivisible by patch size!".
            context.ReportAt("image_size", DiagnosticDescriptors.ArgumentOutOfRange, "image_size", Title,
                $"a multiple of the patch size {arch.PatchSize}", imageSize.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            int index = requested[item];
            if (index >= arch.NumLayers || index < -arch.NumLayers)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, index.ToString(CultureInfo.InvariantCulture),
                    "out_indices of " + Title, "its encoder", arch.NumLayers.ToString(CultureInfo.InvariantCulture), $"-{arch.NumLayers}..{arch.NumLayers - 1}");
                return null;
            }
        }

        int multiple = PaddingMultiple(args);
        if (input.Height % multiple != 0 || input.Width % multiple != 0)
        {
            string up = SizeText(arch.ImageHeight, arch.ImageWidth);
            string down = SizeText(RoundDown(input.Height, multiple), RoundDown(input.Width, multiple));
            context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), multiple.ToString(CultureInfo.InvariantCulture),
                arch.PatchSize.ToString(CultureInfo.InvariantCulture), up, up == down ? $"Use {up}." : $"Use {down} or {up}.");
        }

        var layout = new TokenLayout(HasClsToken: true, Frames: 1, Rows: arch.Rows, Columns: arch.Columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, arch.HiddenDim);
        return new FeatureShape(FeatureKind.Tokens, arch.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args) => CountParameters(Resolve(input, args));

    /// <summary>
    /// conv_proj C·p²·D + D; class_token D; pos_embedding (1 + rows·columns)·D (learned, so counted); per block
    /// ln_1 2D, in_proj 3D² + 3D, out_proj D² + D, ln_2 2D, mlp.0 D·M + M, mlp.3 M·D + D = 4D² + 2DM + 9D + M; encoder.ln 2D.
    /// No classifier head (torchvision's <c>heads.head</c> adds 1000·D + 1000).
    /// </summary>
    public static long CountParameters(VisionTransformerArchitecture a)
    {
        long d = a.HiddenDim;
        long m = a.MlpDim;
        long convProj = ConvCounts.Conv(a.InChannels, d, a.PatchSize, bias: true);
        long classToken = d;
        long positions = (1 + ((long)a.PositionRows * a.PositionColumns)) * d;
        long block = (4 * d * d) + (2 * d * m) + (9 * d) + m;
        long finalNorm = 2 * d;
        return convProj + classToken + positions + (a.NumLayers * block) + finalNorm;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        var tokens = TransformerActivations.Tokens(output);
        var block = TransformerActivations.Block(tokens, a.HiddenDim, a.NumHeads, a.MlpDim, settings);

        // The selected blocks' outputs stay alive until the necks have used them.
        long outputs = (long)a.OutIndices.Count * tokens * a.HiddenDim * settings.StreamBytes;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, outputs + block.TransientBytes);
        }

        long patchInput = settings.KeepsWeightInputs ? (long)a.InChannels * a.ImageHeight * a.ImageWidth * settings.ComputeBytes : 0; // conv_proj's input, for its weight gradient
        long perBlock = settings.GradientCheckpointing ? (long)tokens * a.HiddenDim * settings.StreamBytes : block.SavedBytes;
        long recompute = settings.GradientCheckpointing ? block.SavedBytes : 0;
        return new ActivationEstimate(patchInput + (a.NumLayers * perBlock) + outputs, Math.Max(block.TransientBytes, recompute));
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

    private static string SizeText(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : $"{height}×{width}";

    private static string Summarise(VisionTransformerVariant v) =>
        $"torchvision ViT, D={v.HiddenDim}, {v.NumLayers} blocks, {v.NumHeads} heads, MLP {v.MlpDim}, patch {v.PatchSize}, learned positions ({v.Source})";

    private static ParameterInfo[] BuildParameters(VisionTransformerVariant v) => new[]
    {
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load published weights (conv_proj re-selected for the input bands; positions interpolated to the grid)."),
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Blocks whose tokens are outputs (default: all; negative counts from the end)."),
        ParameterInfo.Optional("image_size", ParameterType.Int(1, 8192),
            "Image size the learned position embedding is stored for (torchvision's image_size; default: the model's padded input size); other sizes interpolate it."),
        ParameterInfo.With("dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout after the position embedding, the attention and in the MLP (torchvision's dropout), in training only."),
        ParameterInfo.With("attention_dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout on the attention weights (torchvision's attention_dropout), in training only."),
        ParameterInfo.Optional("patch_size", ParameterType.Int(1, 64), $"Override the patch size ({v.PatchSize}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("hidden_dim", ParameterType.Int(1, 8192), $"Override the token width ({v.HiddenDim}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("num_layers", ParameterType.Int(1, 128), $"Override the number of blocks ({v.NumLayers})."),
        ParameterInfo.Optional("num_heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({v.NumHeads})."),
        ParameterInfo.Optional("mlp_dim", ParameterType.Int(1, 65536), $"Override the MLP hidden width ({v.MlpDim}); the pretrained weights no longer apply."),
    };
}
