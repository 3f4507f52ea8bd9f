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

/// <summary>One published Clay encoder configuration.</summary>
/// <param name="Name">The catalog name (TerraTorch's where it has one).</param>
/// <param name="Dim">Token width D.</param>
/// <param name="Depth">Transformer layers.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="DimHead">Width of one head (the attention works at heads × dim_head).</param>
/// <param name="FixedGrid">v1 (TerraTorch's <c>EmbeddingEncoder</c>): the position encoding is computed once for
/// <c>img_size</c>, so only that input size runs. v1.5 computes it for a √L × √L grid: any square input runs.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record ClayVariant(string Name, int Dim, int Depth, int Heads, int DimHead, bool FixedGrid, string Source);

/// <summary>A Clay encoder resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="Wavelengths">Central wavelength of each input band in µm, in band order (Clay's <c>waves</c>).</param>
/// <param name="ImageHeight">Padded input height (a multiple of 2 × patch).</param>
/// <param name="ImageWidth">Padded input width.</param>
/// <param name="FixedGridSize">v1: the one grid side the position encoding exists for (<c>img_size // patch</c>); v1.5: null.</param>
/// <param name="Gsd">Ground sample distance in metres, which scales the position encoding's frequencies.</param>
/// <param name="OutIndices">Layers whose tokens are outputs, non-negative, in the order given.</param>
public sealed record ClayArchitecture(
    EquatableArray<double> Wavelengths,
    int Dim,
    int Depth,
    int Heads,
    int DimHead,
    double MlpRatio,
    int ImageHeight,
    int ImageWidth,
    int? FixedGridSize,
    double Gsd,
    EquatableArray<int> OutIndices)
{
    public int InChannels => Wavelengths.Count;

    public int Patch => ClayBackbone.Patch;

    public int InnerDim => Heads * DimHead;

    public int MlpHidden => (int)(Dim * MlpRatio);

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;
}

/// <summary>
/// The Clay encoders (Clay-foundation/model <c>claymodel/model.py</c> <c>Encoder</c>; TerraTorch
/// <c>clay_v1/modules.py</c> <c>EmbeddingEncoder</c>): a wavelength-conditioned dynamic patch embedding (a one-layer
/// transformer over the bands' wavelength embeddings generates each band's 8×8 patch weights), a GSD-scaled 2D sin-cos
/// position encoding in the first D − 8 channels plus the time and lat/lon metadata (4 + 4 values) in the last 8, a class
/// token, and vit-pytorch's pre-norm transformer with a final LayerNorm. Output: tokens [B, 1 + L, D], class token first.
/// </summary>
public sealed class ClayBackbone : BackboneDescriptor
{
    /// <summary>Patch size of every Clay encoder (TerraTorch <c>patch_size=8</c>; Clay spec "PATCH SIZE = 8").</summary>
    public const int Patch = 8;

    /// <summary>Width of the wavelength embedding and of the weight generator (Clay <c>wave_dim=128</c>).</summary>
    public const int WaveDim = 128;

    /// <summary>Learned query tokens of the weight generator (Clay <c>num_latent_tokens=128</c>).</summary>
    public const int LatentTokens = 128;

    /// <summary>The weight generator's <c>nn.TransformerEncoderLayer</c>: 4 heads, PyTorch's default feed-forward 2048.</summary>
    public const int GeneratorHeads = 4;

    public const int GeneratorFeedForward = 2048;

    /// <summary>Channels the time (week, hour: sin, cos) and lat/lon (sin, cos each) metadata take at the end of each token.</summary>
    public const int MetadataChannels = 8;

    public ClayBackbone(ClayVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public ClayVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => ClayVariants.PretrainedBands;

    /// <summary>Clay generates each band's patch weights from its wavelength, so the order of the input bands is free.</summary>
    public override bool SelectsPretrainedBandsByName => false;

    /// <summary>TerraTorch's <c>img_size</c> default for <c>clay_v1_base</c>; Clay v1.5 was trained at 256 too.</summary>
    public override int DefaultImageSize => 256;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Clay.ClayEncoder";

    /// <summary>TerraTorch's pixel-wise models pad to twice the patch of the backbone's patch embedding.</summary>
    public override int PaddingMultiple(ArgumentList args) => 2 * Patch;

    /// <summary>The encoder's numbers for this input and these arguments.</summary>
    public ClayArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        var outIndices = args.IntListOrNull("out_indices") ?? new[] { -1 };
        int multiple = PaddingMultiple(args);
        return new ClayArchitecture(
            Wavelengths: DofaWavelengths.Resolve(input, args, ClayVariants.Wavelength).ToEquatableArray(),
            Dim: args.IntOrNull("dim") ?? Variant.Dim,
            Depth: depth,
            Heads: args.IntOrNull("heads") ?? Variant.Heads,
            DimHead: args.IntOrNull("dim_head") ?? Variant.DimHead,
            MlpRatio: args.Double("mlp_ratio"),
            ImageHeight: RoundUp(input.Height, multiple),
            ImageWidth: RoundUp(input.Width, multiple),
            FixedGridSize: Variant.FixedGrid ? args.Int("img_size") / Patch : null,
            Gsd: args.Double("gsd"),
            OutIndices: outIndices.Select(i => i < 0 ? depth + i : i).ToEquatableArray());
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var arch = Resolve(input, args);
        if (arch.Dim % 4 != 0 || arch.Dim < 16)
        {
            // posemb_sincos_2d_with_gsd encodes x and y with sin and cos in D − 8 channels: (D − 8) / 4 frequencies, at least 2.
            context.ReportAt("dim", DiagnosticDescriptors.ArgumentOutOfRange, "dim", Title,
                "a multiple of 4 and at least 16 (the position encoding splits D − 8 channels into four equal parts)", arch.Dim.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (!DofaWavelengths.Check(input, args, ClayVariants.Wavelength, Title, "Clay generates each band's patch weights from its wavelength", context))
        {
            return null;
        }

        if (input.Frames != 1)
        {
            context.ReportAt(null, DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title,
                "1: Clay encodes a single image (run it per frame and pool the features to use a time series)", input.Frames.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (!DofaShapeRules.CheckOutIndices(args, arch.Depth, Title, context) || !CheckGrid(input, args, arch, context))
        {
            return null;
        }

        DofaShapeRules.WarnIfPadded(input, PaddingMultiple(args), Patch, arch.ImageHeight, arch.ImageWidth, context);
        var layout = new TokenLayout(HasClsToken: true, Frames: 1, Rows: arch.Rows, Columns: arch.Columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, arch.Dim);
        return new FeatureShape(FeatureKind.Tokens, arch.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    /// <summary>
    /// Learnable parameters of the encoder alone, independent of the band count. The published totals include more:
    /// Clay v1.5's 632 M is encoder 311 M + decoder 15 M + DINOv2-L teacher 304 M (+ a 1 M projection), and v1.0's
    /// "201 M" is encoder 92.1 M + MAE decoder (512-d, 6 layers, 6 heads) 22.6 M + a ViT-B/16 DINO teacher 85.8 M +
    /// projection 0.6 M. Only the encoder is a backbone.
    /// </summary>
    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.Dim;
        long inner = a.InnerDim;
        long hidden = a.MlpHidden;
        long kernel = (long)Patch * Patch * d;
        long patchEmbedding = DofaShapeRules.FcResidual(WaveDim)
            + DofaShapeRules.TorchEncoderLayer(WaveDim, GeneratorFeedForward)
            + (WaveDim * kernel) + kernel // fc_weight → one [D, 8, 8] kernel per band
            + (WaveDim * d) + d // fc_bias → the projection bias
            + ((LatentTokens + 1L) * WaveDim); // weight_tokens + bias_token
        long attention = (2 * d) + (d * 3 * inner) + (inner * d); // norm, to_qkv, to_out (no biases)
        long feedForward = (2 * d) + (d * hidden) + hidden + (hidden * d) + d; // net.0 LayerNorm, net.1, net.3
        return d + patchEmbedding + (a.Depth * (attention + feedForward)) + (2 * d);
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long kernelElements = (long)a.Dim * a.InChannels * Patch * Patch;
        return DofaShapeRules.Activations(TransformerActivations.Tokens(output), a.Dim, a.Heads, a.MlpHidden, a.Depth, a.OutIndices.Count,
            (long)a.InChannels * a.ImageHeight * a.ImageWidth, kernelElements, settings);
    }

    private bool CheckGrid(InputSpec input, ArgumentList args, ClayArchitecture arch, ShapeContext context)
    {
        string padded = arch.ImageHeight == arch.ImageWidth
            ? arch.ImageHeight.ToString(CultureInfo.InvariantCulture)
            : $"{arch.ImageHeight.ToString(CultureInfo.InvariantCulture)}×{arch.ImageWidth.ToString(CultureInfo.InvariantCulture)}";
        string given = input.Height == input.Width
            ? input.Height.ToString(CultureInfo.InvariantCulture)
            : $"{input.Height.ToString(CultureInfo.InvariantCulture)}×{input.Width.ToString(CultureInfo.InvariantCulture)}";
        if (arch.FixedGridSize is int grid)
        {
            int imgSize = args.Int("img_size");
            if (imgSize % PaddingMultiple(args) != 0)
            {
                context.ReportAt("img_size", DiagnosticDescriptors.ArgumentOutOfRange, "img_size", Title,
                    $"a multiple of {PaddingMultiple(args).ToString(CultureInfo.InvariantCulture)} (inputs are padded to one, so no other size can match it)",
                    imgSize.ToString(CultureInfo.InvariantCulture));
                return false;
            }

            if (arch.Rows != grid || arch.Columns != grid)
            {
                string square = imgSize.ToString(CultureInfo.InvariantCulture);
                context.ReportAt("img_size", DiagnosticDescriptors.InputSizeDiffersFromFixedSize, Title, square, (grid * grid).ToString(CultureInfo.InvariantCulture),
                    given == padded ? given : $"{given} (padded to {padded})", (arch.Rows * arch.Columns).ToString(CultureInfo.InvariantCulture),
                    $"Use size {square}" + (arch.ImageHeight == arch.ImageWidth ? $", or set img_size = {padded} (the weights do not depend on it)." : "."));
                return false;
            }

            return true;
        }

        if (arch.ImageHeight != arch.ImageWidth)
        {
            int side = System.Math.Max(arch.ImageHeight, arch.ImageWidth);
            context.Report(DiagnosticDescriptors.NonSquareInput, Title,
                "it computes its position encoding for a √L × √L grid of the L patches, so a non-square grid fails at run time",
                given == padded ? given : $"{given} (padded to {padded})", $"size = {side.ToString(CultureInfo.InvariantCulture)}");
            return false;
        }

        return true;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Summarise(ClayVariant v) =>
        $"Clay ViT, D={v.Dim}, {v.Depth} layers, {v.Heads} heads × {v.DimHead}, patch {Patch}, wavelength-conditioned patch embedding for any bands, " +
        (v.FixedGrid ? "position encoding fixed to img_size" : "square inputs of any size") + $" ({v.Source})";

    private static ParameterInfo[] BuildParameters(ClayVariant v)
    {
        var parameters = new List<ParameterInfo>
        {
            ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published encoder weights (the patch embedding is generated from the band wavelengths, so any bands work)."),
            ParameterInfo.With("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), ParameterInfo.Ints(-1),
                "Layers whose tokens are outputs (negative counts from the end); the default, the last, is Clay's normed output and all TerraTorch returns."),
            ParameterInfo.With("gsd", ParameterType.Float(1e-9), 10.0,
                "Ground sample distance in metres; it scales the position encoding (Clay's metadata: Sentinel-2 10, Landsat 30, NAIP 1). TerraTorch passes 1.0 for plain tensors."),
            DofaWavelengths.Parameter("Clay"),
        };

        if (v.FixedGrid)
        {
            parameters.Add(ParameterInfo.With("img_size", ParameterType.Int(16, 8192), 256L,
                "The input size the position encoding is computed for (TerraTorch's img_size); only this size runs."));
        }

        parameters.AddRange(new[]
        {
            ParameterInfo.Optional("dim", ParameterType.Int(16, 8192), $"Override the token width ({v.Dim}); the pretrained weights no longer apply."),
            ParameterInfo.Optional("depth", ParameterType.Int(1, 128), $"Override the number of layers ({v.Depth})."),
            ParameterInfo.Optional("heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({v.Heads})."),
            ParameterInfo.Optional("dim_head", ParameterType.Int(1, 1024), $"Override the width of one attention head ({v.DimHead})."),
            ParameterInfo.With("mlp_ratio", ParameterType.Float(0.25, 16), 4.0, "MLP hidden width as a multiple of D."),
        });
        return parameters.ToArray();
    }
}
