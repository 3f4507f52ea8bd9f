using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>A SatMAE temporal encoder resolved for one model.</summary>
public sealed record SatMaeTemporalArchitecture(
    int InChannels,
    int Frames,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int Patch,
    int ImageHeight,
    int ImageWidth,
    EquatableArray<int> OutIndices,
    double DropPathRate)
{
    /// <summary>Channels of the time embedding: 128 each for year, month and hour (hard-coded in the reference).</summary>
    public const int TimeEmbed = 3 * 128;

    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;
}

/// <summary>
/// SatMAE's temporal encoder (<c>VisionTransformer</c> in sustainlab-group/SatMAE <c>models_vit_temporal.py</c> @b182634,
/// fMoW-temporal ViT-L/16): every frame goes through one shared patch embedding; each patch token gets a learned
/// position (D − 384 channels, one table shared by the frames) joined with the 1D sin-cos encodings of its frame's
/// (year − 2002, month − 1, hour), 128 channels each. Tokens: class token + T·h·w, frame-major.
/// </summary>
/// <remarks>
/// The reference hard-codes three frames (<c>x[:, 0..2]</c>, <c>timestamps.reshape(-1, 3)</c>); nothing in the
/// weights depends on T, so GeoDsl takes any number. Its input is [B, T, C, H, W]; GeoDsl's is [B, C, T, H, W].
/// </remarks>
public sealed class SatMaeTemporalBackbone : BackboneDescriptor
{
    public SatMaeTemporalBackbone(SatMaeVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public SatMaeVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => SatMaeVariants.RgbBands;

    public override int DefaultImageSize => Variant.ImageSize;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.SatMae.SatMaeTemporalViT";

    /// <summary>It encodes the frames itself (one token set per frame, each with its date), so no temporal_pooling.</summary>
    public override bool HandlesFrames => true;

    public override int PaddingMultiple(ArgumentList args) => 2 * Variant.Patch;

    public SatMaeTemporalArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        return new SatMaeTemporalArchitecture(
            InChannels: input.Channels,
            Frames: input.Frames,
            EmbedDim: args.IntOrNull("embed_dim") ?? Variant.EmbedDim,
            Depth: depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: args.DoubleOrNull("mlp_ratio") ?? 4.0,
            Patch: Variant.Patch,
            ImageHeight: MaeVit.RoundUp(input.Height, 2 * Variant.Patch),
            ImageWidth: MaeVit.RoundUp(input.Width, 2 * Variant.Patch),
            OutIndices: MaeVit.ResolveOutIndices(args, depth, Enumerable.Range(0, depth).ToArray()),
            DropPathRate: args.DoubleOrNull("drop_path_rate") ?? 0.0);
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!MaeVit.CheckHeads(a.EmbedDim, a.Heads, Title, context) || !MaeVit.CheckOutIndices(args, a.Depth, Title, context))
        {
            return null;
        }

        int positionWidth = a.EmbedDim - SatMaeTemporalArchitecture.TimeEmbed;
        if (positionWidth <= 0 || positionWidth % 4 != 0)
        {
            context.ReportAt("embed_dim", DiagnosticDescriptors.ArgumentOutOfRange, "embed_dim", Title,
                $"more than {SatMaeTemporalArchitecture.TimeEmbed} (the year, month and hour encodings) by a multiple of 4 (the 2D position table)",
                MaeVit.Text(a.EmbedDim));
            return null;
        }

        MaeVit.ReportPadding(input, a.Patch, context);
        var layout = new TokenLayout(HasClsToken: true, Frames: a.Frames, Rows: a.Rows, Columns: a.Columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, a.EmbedDim);
        return new FeatureShape(FeatureKind.Tokens, a.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long patchEmbed = MaeVit.PatchEmbed(a.InChannels, a.Patch, d);
        long clsToken = d;
        // A learned nn.Parameter in the reference fine-tuning model (pretraining kept it fixed).
        long posEmbed = (1L + ((long)a.Rows * a.Columns)) * (d - SatMaeTemporalArchitecture.TimeEmbed);
        long finalNorm = 2 * d;
        return patchEmbed + clsToken + posEmbed + (a.Depth * MaeVit.Block(d, a.MlpHidden)) + finalNorm;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long tokens = TransformerActivations.Tokens(output);
        long returned = output.Tensors.Sum(t => t.Elements);
        long pixels = (long)a.InChannels * a.Frames * a.ImageHeight * a.ImageWidth;
        return MaeVit.Activations(tokens, a.EmbedDim, a.Heads, a.MlpHidden, a.Depth, returned, pixels, settings);
    }

    private static string Summarise(SatMaeVariant v) =>
        $"SatMAE temporal ViT, D={v.EmbedDim}, {v.Depth} blocks, {v.Heads} heads, patch {v.Patch}, RGB frames with (year, month, hour) encodings ({v.Source})";

    private static ParameterInfo[] BuildParameters(SatMaeVariant v) => new[]
    {
        MaeVit.Pretrained,
        MaeVit.DropPathRate,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Blocks whose tokens are outputs (default: all; negative counts from the end)."),
    }.Concat(MaeVit.SizeOverrides(v.EmbedDim, v.Depth, v.Heads)).ToArray();
}
