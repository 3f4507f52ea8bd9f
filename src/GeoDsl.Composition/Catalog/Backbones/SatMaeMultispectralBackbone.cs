using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>A SatMAE group-channel encoder resolved for one model: every number the runtime needs to build it.</summary>
/// <param name="ChannelGroups">Per group, the input channels it embeds (indices into the model's bands), in the group's band order.</param>
/// <param name="ChannelEmbed">Width of the group (channel) embedding; the positional embedding takes the other D − ChannelEmbed.</param>
public sealed record SatMaeGroupArchitecture(
    int InChannels,
    IReadOnlyList<IReadOnlyList<int>> ChannelGroups,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int ChannelEmbed,
    int Patch,
    int ImageHeight,
    int ImageWidth,
    EquatableArray<int> OutIndices,
    double DropPathRate)
{
    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;

    public int Groups => ChannelGroups.Count;
}

/// <summary>
/// SatMAE's multispectral encoder (<c>GroupChannelsVisionTransformer</c>, sustainlab-group/SatMAE
/// <c>models_vit_group_channels.py</c> @b182634): the bands are split into groups, each group has its own patch
/// embedding, and every group's tokens get the 2D sin-cos position (D − 256 channels) joined with a 1D sin-cos group
/// embedding (256 channels). Tokens: class token + G·h·w (433 at 96 px with patch 8), laid out group-major, which the
/// shape engine records as G "frames" so <c>reshape_tokens_to_image</c> stacks the groups into channels (G·D).
/// </summary>
/// <remarks>
/// In the reference fine-tuning model <c>pos_embed</c>, <c>channel_embed</c> and <c>channel_cls_embed</c> are
/// <c>nn.Parameter</c>s initialised with sin-cos tables and trained (only MAE pretraining froze them), so they are
/// counted here as learnable; <c>pos_embed</c> is stored for the declared grid. The reference builds square inputs only
/// (<c>int(num_patches ** .5)</c>); GeoDsl computes the table for h × w, the same numbers on square grids.
/// </remarks>
public sealed class SatMaeMultispectralBackbone : BackboneDescriptor
{
    public SatMaeMultispectralBackbone(SatMaeVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public SatMaeVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => SatMaeVariants.MultispectralBands;

    public override int DefaultImageSize => Variant.ImageSize;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.SatMae.SatMaeGroupChannelViT";

    public override int PaddingMultiple(ArgumentList args) => 2 * (args.IntOrNull("patch_size") ?? Variant.Patch);

    /// <summary>The encoder's numbers for this input and these arguments (group indices are -1 for bands the input lacks).</summary>
    public SatMaeGroupArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int patch = args.IntOrNull("patch_size") ?? Variant.Patch;
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        var bands = input.Bands.ToList();
        var groups = SatMaeVariants.ChannelGroups
            .Select(g => (IReadOnlyList<int>)g.Select(b => bands.IndexOf(b)).ToArray())
            .ToArray();
        return new SatMaeGroupArchitecture(
            InChannels: input.Channels,
            ChannelGroups: groups,
            EmbedDim: args.IntOrNull("embed_dim") ?? Variant.EmbedDim,
            Depth: depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: args.DoubleOrNull("mlp_ratio") ?? 4.0,
            ChannelEmbed: args.IntOrNull("channel_embed") ?? 256,
            Patch: patch,
            ImageHeight: MaeVit.RoundUp(input.Height, 2 * patch),
            ImageWidth: MaeVit.RoundUp(input.Width, 2 * patch),
            OutIndices: MaeVit.ResolveOutIndices(args, depth, Enumerable.Range(0, depth).ToArray()),
            DropPathRate: args.DoubleOrNull("drop_path_rate") ?? 0.0);
    }

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!MaeVit.CheckHeads(a.EmbedDim, a.Heads, Title, context)
            || !MaeVit.CheckOutIndices(args, a.Depth, Title, context))
        {
            return null;
        }

        if (a.ChannelEmbed % 2 != 0 || a.ChannelEmbed >= a.EmbedDim || (a.EmbedDim - a.ChannelEmbed) % 4 != 0)
        {
            // The group embedding is a 1D sin-cos table (even width); the position takes the rest as a 2D table (a multiple of 4).
            context.ReportAt("channel_embed", DiagnosticDescriptors.ArgumentOutOfRange, "channel_embed", Title,
                $"even and below embed_dim {a.EmbedDim}, leaving a multiple of 4 for the 2D position embedding", MaeVit.Text(a.ChannelEmbed));
            return null;
        }

        for (int g = 0; g < a.Groups; g++)
        {
            var group = SatMaeVariants.ChannelGroups[g];
            var missing = group.Where((band, i) => a.ChannelGroups[g][i] < 0).ToList();
            if (missing.Count > 0)
            {
                context.Report(DiagnosticDescriptors.ChannelGroupBandsMissing, Title, string.Join(", ", missing), MaeVit.Text(g + 1), string.Join(", ", group),
                    string.Join(", ", SatMaeVariants.MultispectralBands));
                return null;
            }
        }

        MaeVit.ReportPadding(input, a.Patch, context);
        var layout = new TokenLayout(HasClsToken: true, Frames: a.Groups, Rows: a.Rows, Columns: a.Columns);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, a.EmbedDim);
        return new FeatureShape(FeatureKind.Tokens, a.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long patchEmbeds = a.ChannelGroups.Sum(g => MaeVit.PatchEmbed(g.Count, a.Patch, d));
        long clsToken = d;
        long posEmbed = (1L + ((long)a.Rows * a.Columns)) * (d - a.ChannelEmbed);
        long channelEmbeds = ((long)a.Groups * a.ChannelEmbed) + a.ChannelEmbed; // channel_embed + channel_cls_embed
        long finalNorm = 2 * d;
        return patchEmbeds + clsToken + posEmbed + channelEmbeds + (a.Depth * MaeVit.Block(d, a.MlpHidden)) + finalNorm;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long tokens = TransformerActivations.Tokens(output);
        long returned = output.Tensors.Sum(t => t.Elements);
        long pixels = (long)a.InChannels * a.ImageHeight * a.ImageWidth;
        return MaeVit.Activations(tokens, a.EmbedDim, a.Heads, a.MlpHidden, a.Depth, returned, pixels, settings);
    }

    private static string Summarise(SatMaeVariant v) =>
        $"SatMAE group-channel ViT, D={v.EmbedDim}, {v.Depth} blocks, {v.Heads} heads, patch {v.Patch} at {v.ImageSize} px, " +
        $"band groups (B2,B3,B4,B8) (B5,B6,B7,B8A) (B11,B12) ({v.Source})";

    private static ParameterInfo[] BuildParameters(SatMaeVariant v) => new[]
    {
        MaeVit.Pretrained,
        MaeVit.DropPathRate,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Blocks whose tokens are outputs (default: all; negative counts from the end)."),
        ParameterInfo.With("channel_embed", ParameterType.Int(2, 4096), 256L, "Width of the group embedding (the position embedding takes the rest of D)."),
        ParameterInfo.Optional("patch_size", ParameterType.Int(1, 64), $"Override the patch size ({v.Patch}); the pretrained weights no longer apply."),
    }.Concat(MaeVit.SizeOverrides(v.EmbedDim, v.Depth, v.Heads)).ToArray();
}
