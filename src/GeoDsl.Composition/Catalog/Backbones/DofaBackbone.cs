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

/// <summary>One published DOFA encoder configuration.</summary>
/// <param name="Name">TerraTorch's registry name.</param>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record DofaVariant(string Name, int EmbedDim, int Depth, int Heads, string Source);

/// <summary>A DOFA encoder resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="Wavelengths">Central wavelength of each input band in µm, in band order.</param>
/// <param name="ImageHeight">Padded input height (a multiple of 2 × patch).</param>
/// <param name="ImageWidth">Padded input width.</param>
/// <param name="OutIndices">Blocks whose tokens are outputs, non-negative, in the order given.</param>
public sealed record DofaArchitecture(
    EquatableArray<double> Wavelengths,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int ImageHeight,
    int ImageWidth,
    EquatableArray<int> OutIndices,
    double DropPath)
{
    public int InChannels => Wavelengths.Count;

    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int Patch => DofaBackbone.Patch;

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;
}

/// <summary>
/// The DOFA encoders (TerraTorch <c>dofa_vit.py</c> around torchgeo's <c>DOFA</c>, torchgeo/models/dofa.py): a
/// wavelength hypernetwork (<c>patch_embed</c>, torchgeo's <c>DOFAEmbedding</c>, zhu-xlab's <c>Dynamic_MLP_OFA</c>)
/// generates a 16×16 patch projection for each band from its wavelength, so any number of bands works; then a class
/// token, a fixed 2D sin-cos position embedding and timm blocks (LayerNorm eps 1e-6). TerraTorch's
/// <c>DOFAEncoderWrapper</c> returns the raw tokens [B, 1 + h·w, D] of the blocks in <c>out_indices</c> (default the
/// last), without a final norm.
/// </summary>
public sealed class DofaBackbone : BackboneDescriptor
{
    /// <summary>Patch size: torchgeo builds <c>DOFAEmbedding(kernel_size=16)</c> for every variant.</summary>
    public const int Patch = 16;

    /// <summary>Width of the wavelength embedding and of the weight generator (torchgeo <c>dynamic_embed_dim=128</c>).</summary>
    public const int DynamicEmbedDim = 128;

    /// <summary>Learned query tokens of the weight generator (torchgeo <c>wt_num = 128</c>).</summary>
    public const int WeightTokens = 128;

    /// <summary>The weight generator's <c>nn.TransformerEncoderLayer</c>: 4 heads, PyTorch's default feed-forward 2048.</summary>
    public const int GeneratorHeads = 4;

    public const int GeneratorFeedForward = 2048;

    public DofaBackbone(DofaVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public DofaVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => DofaVariants.PretrainedBands;

    /// <summary>DOFA generates each band's patch weights from its wavelength, so the order of the input bands is free.</summary>
    public override bool SelectsPretrainedBandsByName => false;

    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Dofa.DofaViT";

    public override int PaddingMultiple(ArgumentList args) => 2 * Patch;

    /// <summary>The encoder's numbers for this input and these arguments.</summary>
    public DofaArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        var outIndices = args.IntListOrNull("out_indices") ?? new[] { -1 };
        int multiple = PaddingMultiple(args);
        return new DofaArchitecture(
            Wavelengths: DofaWavelengths.Resolve(input, args, DofaWavelengths.Dofa).ToEquatableArray(),
            EmbedDim: args.IntOrNull("embed_dim") ?? Variant.EmbedDim,
            Depth: depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: args.Double("mlp_ratio"),
            ImageHeight: RoundUp(input.Height, multiple),
            ImageWidth: RoundUp(input.Width, multiple),
            OutIndices: outIndices.Select(i => i < 0 ? depth + i : i).ToEquatableArray(),
            DropPath: args.Double("drop_path"));
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var arch = Resolve(input, args);
        string width = arch.EmbedDim.ToString(CultureInfo.InvariantCulture);
        if (arch.EmbedDim % arch.Heads != 0)
        {
            context.ReportAt("num_heads", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", Title,
                $"a divisor of embed_dim {width}", arch.Heads.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (arch.EmbedDim % 4 != 0)
        {
            // The 2D sin-cos position embedding gives each axis D/2 channels, half sine and half cosine.
            context.ReportAt("embed_dim", DiagnosticDescriptors.ArgumentOutOfRange, "embed_dim", Title,
                "a multiple of 4 (the 2D sin-cos position embedding splits it into four equal parts)", width);
            return null;
        }

        if (!DofaWavelengths.Check(input, args, DofaWavelengths.Dofa, Title, "DOFA generates each band's patch weights from its wavelength", context))
        {
            return null;
        }

        if (input.Frames != 1)
        {
            context.ReportAt(null, DiagnosticDescriptors.ArgumentOutOfRange, "frames", Title,
                "1: DOFA encodes a single image (run it per frame and pool the features to use a time series)", input.Frames.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        if (!DofaShapeRules.CheckOutIndices(args, arch.Depth, Title, context))
        {
            return null;
        }

        DofaShapeRules.WarnIfPadded(input, PaddingMultiple(args), Patch, arch.ImageHeight, arch.ImageWidth, context);
        var layout = new TokenLayout(HasClsToken: true, Frames: 1, Rows: arch.Rows, Columns: arch.Columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, arch.EmbedDim);
        return new FeatureShape(FeatureKind.Tokens, arch.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    /// <summary>
    /// Learnable parameters; independent of the band count, since the patch weights are generated. <c>pos_embed</c> is
    /// <c>requires_grad=False</c> in torchgeo (a fixed table) and not counted. torchgeo's classification <c>fc_norm</c>
    /// and <c>head</c> are not part of the encoder TerraTorch uses (the published weights have neither).
    /// </summary>
    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long hidden = a.MlpHidden;
        long kernel = (long)Patch * Patch * d;
        long patchEmbed = DofaShapeRules.FcResidual(DynamicEmbedDim)
            + DofaShapeRules.TorchEncoderLayer(DynamicEmbedDim, GeneratorFeedForward)
            + (DynamicEmbedDim * kernel) + kernel // fc_weight → one [D, 16, 16] kernel per band
            + (DynamicEmbedDim * d) + d // fc_bias → the projection bias
            + ((WeightTokens + 1L) * DynamicEmbedDim); // weight_tokens + bias_token
        long block = (2 * d) + (3 * d * d) + (3 * d) + (d * d) + d + (2 * d) + (d * hidden) + hidden + (hidden * d) + d;
        return d + patchEmbed + (a.Depth * block);
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long kernelElements = (long)a.EmbedDim * a.InChannels * Patch * Patch;
        return DofaShapeRules.Activations(TransformerActivations.Tokens(output), a.EmbedDim, a.Heads, a.MlpHidden, a.Depth, a.OutIndices.Count,
            (long)a.InChannels * a.ImageHeight * a.ImageWidth, kernelElements, settings);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Summarise(DofaVariant v) =>
        $"DOFA ViT, D={v.EmbedDim}, {v.Depth} blocks, {v.Heads} heads, patch {Patch}, wavelength-conditioned patch embedding for any bands ({v.Source})";

    private static ParameterInfo[] BuildParameters(DofaVariant v) => new[]
    {
        ParameterInfo.With("pretrained", ParameterType.Bool, false, "Load the published weights (the patch embedding is generated from the band wavelengths, so any bands work)."),
        ParameterInfo.With("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), ParameterInfo.Ints(-1), "Blocks whose tokens are outputs (negative counts from the end; TerraTorch's default is the last)."),
        ParameterInfo.With("drop_path", ParameterType.Float(0, 0.99), 0.0, "Stochastic-depth rate of every block, in training only (TerraTorch's DOFA builds blocks without it)."),
        DofaWavelengths.Parameter("DOFA"),
        ParameterInfo.Optional("embed_dim", ParameterType.Int(4, 8192), $"Override the token width ({v.EmbedDim}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("depth", ParameterType.Int(1, 128), $"Override the number of blocks ({v.Depth})."),
        ParameterInfo.Optional("num_heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({v.Heads})."),
        ParameterInfo.With("mlp_ratio", ParameterType.Float(0.25, 16), 4.0, "MLP hidden width as a multiple of D."),
    };
}
