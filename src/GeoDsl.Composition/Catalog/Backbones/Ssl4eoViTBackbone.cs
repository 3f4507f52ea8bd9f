using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>An SSL4EO ViT resolved for one model.</summary>
public sealed record Ssl4eoViTArchitecture(
    int InChannels,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int Patch,
    int ImageHeight,
    int ImageWidth,
    double DropPathRate)
{
    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int Rows => ImageHeight / Patch;

    public int Columns => ImageWidth / Patch;
}

/// <summary>
/// The SSL4EO ViT-S/16 encoders as TerraTorch wraps them (<c>ViTEncoderWrapper</c> in
/// <c>terratorch/models/backbones/torchgeo_vit.py</c> @dceebf0): the forward is timm's
/// <c>forward_intermediates(x, intermediates_only=True)</c> with its defaults (timm <c>vision_transformer.py</c>:
/// <c>indices=None</c> → every block, <c>norm=False</c>, <c>output_fmt='NCHW'</c>, prefix tokens dropped), so the
/// output is one channel-first map [B, 384, H/16, W/16] per block, 12 in all, without the class token or the final
/// norm. <c>out_indices</c> is accepted there and ignored; here setting it is an error that says so.
/// </summary>
/// <remarks>
/// Learnable: patch embedding, class token, the learned <c>pos_embed</c> (timm's; stored for the declared grid and
/// resampled bicubically for others), blocks and the final <c>norm</c> (in the published weights, unused by this forward).
/// </remarks>
public sealed class Ssl4eoViTBackbone : BackboneDescriptor
{
    public Ssl4eoViTBackbone(Ssl4eoVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters())
    {
        Variant = variant;
        PretrainedBands = Bands.FindSensor(variant.Sensor)?.Bands
            ?? throw new System.ArgumentException($"Unknown sensor '{variant.Sensor}' for {variant.Name}.", nameof(variant));
    }

    public Ssl4eoVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands { get; }

    public override int DefaultImageSize => Ssl4eoVariants.ImageSize;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Ssl4eo.Ssl4eoViT";

    public override int PaddingMultiple(ArgumentList args) => 2 * Ssl4eoVariants.Patch;

    public Ssl4eoViTArchitecture Resolve(InputSpec input, ArgumentList args) => new(
        InChannels: input.Channels,
        EmbedDim: args.IntOrNull("embed_dim") ?? Ssl4eoVariants.EmbedDim,
        Depth: args.IntOrNull("depth") ?? Ssl4eoVariants.Depth,
        Heads: args.IntOrNull("num_heads") ?? Ssl4eoVariants.Heads,
        MlpRatio: args.DoubleOrNull("mlp_ratio") ?? 4.0,
        Patch: Ssl4eoVariants.Patch,
        ImageHeight: MaeVit.RoundUp(input.Height, 2 * Ssl4eoVariants.Patch),
        ImageWidth: MaeVit.RoundUp(input.Width, 2 * Ssl4eoVariants.Patch),
        DropPathRate: args.DoubleOrNull("drop_path_rate") ?? 0.0);

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!MaeVit.CheckHeads(a.EmbedDim, a.Heads, Title, context))
        {
            return null;
        }

        if (args.IntListOrNull("out_indices") is { } requested)
        {
            context.ReportAt("out_indices", DiagnosticDescriptors.OutIndicesIgnored, Title, "[" + string.Join(", ", requested) + "]", MaeVit.Text(a.Depth));
            return null;
        }

        MaeVit.ReportPadding(input, a.Patch, context);
        var map = TensorShape.Of(a.EmbedDim, a.Rows, a.Columns);
        return FeatureShape.Maps(Enumerable.Repeat(map, a.Depth));
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long patchEmbed = MaeVit.PatchEmbed(a.InChannels, a.Patch, d);
        long clsToken = d;
        long posEmbed = (1L + ((long)a.Rows * a.Columns)) * d;
        long finalNorm = 2 * d;
        return patchEmbed + clsToken + posEmbed + (a.Depth * MaeVit.Block(d, a.MlpHidden)) + finalNorm;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long tokens = 1L + ((long)a.Rows * a.Columns);
        long returned = output.Tensors.Sum(t => t.Elements);
        long pixels = (long)a.InChannels * a.ImageHeight * a.ImageWidth;
        return MaeVit.Activations(tokens, a.EmbedDim, a.Heads, a.MlpHidden, a.Depth, returned, pixels, settings);
    }

    private static string Summarise(Ssl4eoVariant v) =>
        $"SSL4EO ViT-S/16 (timm vit_small_patch16_224, 384/12/6), {v.Sensor} bands, torchgeo weights ViTSmall16_Weights.{v.Weights}; " +
        "all 12 blocks as 384-channel maps at 1/16 (TerraTorch torchgeo_vit.py @dceebf0)";

    private static ParameterInfo[] BuildParameters() => new[]
    {
        MaeVit.Pretrained,
        MaeVit.DropPathRate,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1),
            "Not supported: TerraTorch ignores it and returns every block; use 'neck select_indices'."),
    }.Concat(MaeVit.SizeOverrides(Ssl4eoVariants.EmbedDim, Ssl4eoVariants.Depth, Ssl4eoVariants.Heads)).ToArray();
}
