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

/// <summary>One published Prithvi encoder configuration.</summary>
/// <param name="Name">TerraTorch's registry name.</param>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Patch">Spatial patch size (16, or 14 for the 600M models).</param>
/// <param name="PretrainedFrames">Frames the weights were pretrained with (v1: 3, v2: 4).</param>
/// <param name="TimeLocation">The TL variants: time and location encoders with learned scales.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record PrithviVariant(string Name, int EmbedDim, int Depth, int Heads, int Patch, int PretrainedFrames, bool TimeLocation, string Source);

/// <summary>A Prithvi encoder resolved for one model: every number the runtime needs to build it.</summary>
public sealed record PrithviArchitecture(
    int InChannels,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int Tubelet,
    int Patch,
    int Frames,
    int ImageHeight,
    int ImageWidth,
    bool TimeEncoding,
    bool LocationEncoding,
    bool CoordsScaleLearn,
    EquatableArray<int> OutIndices,
    double DropPath)
{
    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int TemporalTokens => Frames / Tubelet;
}

/// <summary>
/// The Prithvi EO ViT encoders (TerraTorch <c>terratorch/models/backbones/prithvi_vit.py</c>, <c>prithvi_mae.py</c>):
/// a 3D patch embedding, a class token, fixed 3D sin-cos positions and timm-style transformer blocks. Every block's
/// tokens [B, 1 + T'·h·w, D] are outputs; <c>out_indices</c> selects some.
/// </summary>
public sealed class PrithviBackbone : BackboneDescriptor, ILinearLayers
{
    private const string Families = "time, location";

    public PrithviBackbone(PrithviVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public PrithviVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => Bands.PrithviDefault;

    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.PrithviViT";

    public override bool HandlesFrames => true;

    public override int PaddingMultiple(ArgumentList args) => 2 * (args.IntOrNull("patch_size") ?? Variant.Patch);

    /// <summary>The encoder's numbers for this input and these arguments.</summary>
    public PrithviArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int patch = args.IntOrNull("patch_size") ?? Variant.Patch;
        int multiple = 2 * patch;
        var coords = args.NameList("coords_encoding");
        var outIndices = args.IntListOrNull("out_indices");
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        return new PrithviArchitecture(
            InChannels: input.Channels,
            EmbedDim: args.IntOrNull("embed_dim") ?? Variant.EmbedDim,
            Depth: depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: args.Double("mlp_ratio"),
            Tubelet: args.Int("tubelet_size"),
            Patch: patch,
            Frames: input.Frames,
            ImageHeight: RoundUp(input.Height, multiple),
            ImageWidth: RoundUp(input.Width, multiple),
            TimeEncoding: coords.Contains("time"),
            LocationEncoding: coords.Contains("location"),
            CoordsScaleLearn: args.Bool("coords_scale_learn"),
            OutIndices: (outIndices ?? Enumerable.Range(0, depth).ToList()).Select(i => i < 0 ? depth + i : i).ToEquatableArray(),
            DropPath: args.Double("drop_path"));
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var arch = Resolve(input, args);
        if (arch.EmbedDim % arch.Heads != 0)
        {
            context.ReportAt("num_heads", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", Title,
                $"a divisor of embed_dim {arch.EmbedDim}", arch.Heads.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (arch.EmbedDim % 16 != 0)
        {
            // The 3D sin-cos embedding splits D into 6/16 (width), 6/16 (height) and 4/16 (time).
            context.ReportAt("embed_dim", DiagnosticDescriptors.ArgumentOutOfRange, "embed_dim", Title,
                "a multiple of 16 (the 3D sin-cos position embedding splits it 6:6:4)", arch.EmbedDim.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (input.Frames % arch.Tubelet != 0)
        {
            context.Report(DiagnosticDescriptors.FramesNotMultipleOfTubelet, input.Frames.ToString(CultureInfo.InvariantCulture),
                arch.Tubelet.ToString(CultureInfo.InvariantCulture), Title);
            return null;
        }

        if (arch.TimeEncoding && arch.Tubelet != 1)
        {
            context.ReportAt("tubelet_size", DiagnosticDescriptors.TimeEncodingNeedsUnitTubelet, Title, arch.Tubelet.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            int index = requested[item];
            if (index >= arch.Depth || index < -arch.Depth)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, index.ToString(CultureInfo.InvariantCulture),
                    "out_indices of " + Title, "its encoder", arch.Depth.ToString(CultureInfo.InvariantCulture), $"-{arch.Depth}..{arch.Depth - 1}");
                return null;
            }
        }

        int multiple = PaddingMultiple(args);
        if (input.Height % multiple != 0 || input.Width % multiple != 0)
        {
            string up = SizeText(arch.ImageHeight, arch.ImageWidth);
            string down = SizeText(RoundDown(input.Height, multiple), RoundDown(input.Width, multiple));
            context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), multiple.ToString(CultureInfo.InvariantCulture),
                arch.Patch.ToString(CultureInfo.InvariantCulture), up, up == down ? $"Use {up}." : $"Use {down} or {up}.");
        }

        int rows = arch.ImageHeight / arch.Patch;
        int columns = arch.ImageWidth / arch.Patch;
        var layout = new TokenLayout(HasClsToken: true, Frames: arch.TemporalTokens, Rows: rows, Columns: columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, arch.EmbedDim);
        return new FeatureShape(FeatureKind.Tokens, arch.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long hidden = a.MlpHidden;
        long patchEmbed = ((long)a.InChannels * a.Tubelet * a.Patch * a.Patch * d) + d;
        long clsToken = d;
        // norm1 + qkv + proj + norm2 + fc1 + fc2 (pos_embed is a fixed buffer, not a parameter).
        long block = (2 * d) + (3 * d * d) + (3 * d) + (d * d) + d + (2 * d) + (d * hidden) + hidden + (hidden * d) + d;
        long finalNorm = 2 * d;
        long coordScales = a.CoordsScaleLearn ? (a.TimeEncoding ? 1 : 0) + (a.LocationEncoding ? 1 : 0) : 0;
        return patchEmbed + clsToken + (a.Depth * block) + finalNorm + coordScales;
    }

    /// <summary>
    /// Per sample: the patch embedding's input (when its weight trains), then per block <see cref="TransformerActivations.Block"/>
    /// (or only its input under gradient checkpointing). TerraTorch clones every block's output into a list; the clones
    /// are alive until the necks have taken theirs, so they are working memory at the end of the encoder, not saved.
    /// </summary>
    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        var tokens = TransformerActivations.Tokens(output);
        var block = TransformerActivations.Block(tokens, a.EmbedDim, a.Heads, a.MlpHidden, settings);
        var perBlock = settings.GradientCheckpointing ? TransformerActivations.Checkpointed(tokens, a.EmbedDim, block, settings) : block;

        long blockOutputs = (long)a.Depth * tokens * a.EmbedDim * settings.StreamBytes;
        long patchInput = settings.KeepsWeightInputs ? (long)a.InChannels * a.Frames * a.ImageHeight * a.ImageWidth * settings.ComputeBytes : 0;
        long saved = settings.Training ? patchInput + (a.Depth * perBlock.SavedBytes) : 0;
        return new ActivationEstimate(saved, blockOutputs + perBlock.TransientBytes);
    }

    /// <summary>The linear layers of its blocks (qkv, proj, fc1, fc2), which LoRA adapts and QLoRA stores in 4 bits.</summary>
    public IReadOnlyList<LinearLayerGroup> LinearLayers(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        return LinearLayerGroup.TransformerBlocks(a.EmbedDim, a.MlpHidden, a.Depth);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

    private static string SizeText(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : $"{height}×{width}";

    private static string Summarise(PrithviVariant v) =>
        $"Prithvi EO ViT, D={v.EmbedDim}, {v.Depth} blocks, {v.Heads} heads, patch {v.Patch}, pretrained on {v.PretrainedFrames} frame(s)" +
        (v.TimeLocation ? ", time and location encoders" : string.Empty) + $" ({v.Source})";

    private static ParameterInfo[] BuildParameters(PrithviVariant v)
    {
        var coordsDefault = v.TimeLocation
            ? new ListValue(new ArgValue[] { new NameValue("time"), new NameValue("location") }.ToEquatableArray())
            : new ListValue(EquatableArray<ArgValue>.Empty);
        return new[]
        {
            ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published weights (patch embedding re-selected for the input bands)."),
            ParameterInfo.With("drop_path", ParameterType.Float(0, 0.99), 0.0, "Stochastic-depth rate, in training only."),
            ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Blocks whose tokens are outputs (default: all; negative counts from the end)."),
            ParameterInfo.With("coords_encoding", ParameterType.ListOf(ParameterType.OneOf("time", "location")), coordsDefault, $"Metadata encoders to use: {Families}."),
            ParameterInfo.With("coords_scale_learn", ParameterType.Bool, v.TimeLocation, "Learn the scale of the time/location encodings."),
            ParameterInfo.Optional("patch_size", ParameterType.Int(1, 64), $"Override the spatial patch size ({v.Patch}); the pretrained weights no longer apply."),
            ParameterInfo.With("tubelet_size", ParameterType.Int(1, 16), 1L, "Frames per token (the published weights use 1)."),
            ParameterInfo.Optional("embed_dim", ParameterType.Int(16, 8192), $"Override the token width ({v.EmbedDim}); the pretrained weights no longer apply."),
            ParameterInfo.Optional("depth", ParameterType.Int(1, 128), $"Override the number of blocks ({v.Depth})."),
            ParameterInfo.Optional("num_heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({v.Heads})."),
            ParameterInfo.With("mlp_ratio", ParameterType.Float(0.25, 16), 4.0, "MLP hidden width as a multiple of D."),
        };
    }
}
