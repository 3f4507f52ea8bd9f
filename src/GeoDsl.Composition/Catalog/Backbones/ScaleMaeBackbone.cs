using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>A Scale-MAE encoder resolved for one model.</summary>
/// <param name="Res">Ground sample distance in metres that scales the position grid (TerraTorch's <c>default_input_res</c>, torchgeo's <c>res</c>).</param>
public sealed record ScaleMaeArchitecture(
    int InChannels,
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int Patch,
    int ImageSize,
    double Res,
    EquatableArray<int> OutIndices,
    double DropPathRate)
{
    public int MlpHidden => (int)(EmbedDim * MlpRatio);

    public int Grid => ImageSize / Patch;
}

/// <summary>
/// Scale-MAE's encoder as TerraTorch wraps it (<c>terratorch/models/backbones/scalemae.py</c> @24465ea, from
/// bair-climate-initiative/scale-mae <c>models_vit.py</c>): a timm ViT whose position embedding is a 2D sin-cos table of
/// the patch coordinates times the ground sample distance <c>res</c> (metres), recomputed per input. The grid is taken
/// as √N × √N, so inputs must be square. Output: the tokens of the <c>out_indices</c> blocks (default the last),
/// [B, 1 + N, D] with the class token and without the final norm, as TerraTorch's <c>forward</c> returns them.
/// </summary>
/// <remarks>
/// Learnable: patch embedding, class token, blocks and the final <c>norm</c> (in the state dict, unused by the forward).
/// The timm <c>pos_embed</c> [1, 197, D] stays in the state dict with <c>requires_grad = False</c> and is never read.
/// </remarks>
public sealed class ScaleMaeBackbone : BackboneDescriptor
{
    public ScaleMaeBackbone(ScaleMaeVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public ScaleMaeVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => ScaleMaeVariants.PretrainedBands;

    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.ScaleMae.ScaleMaeViT";

    public override int PaddingMultiple(ArgumentList args) => 2 * Variant.Patch;

    public ScaleMaeArchitecture Resolve(InputSpec input, ArgumentList args)
    {
        int depth = args.IntOrNull("depth") ?? Variant.Depth;
        return new ScaleMaeArchitecture(
            InChannels: input.Channels,
            EmbedDim: args.IntOrNull("embed_dim") ?? Variant.EmbedDim,
            Depth: depth,
            Heads: args.IntOrNull("num_heads") ?? Variant.Heads,
            MlpRatio: args.DoubleOrNull("mlp_ratio") ?? 4.0,
            Patch: Variant.Patch,
            ImageSize: MaeVit.RoundUp(input.Height, 2 * Variant.Patch),
            Res: args.DoubleOrNull("res") ?? 1.0,
            OutIndices: MaeVit.ResolveOutIndices(args, depth, new[] { -1 }),
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

        if (input.Height != input.Width)
        {
            int small = System.Math.Min(input.Height, input.Width);
            int large = System.Math.Max(input.Height, input.Width);
            context.Report(DiagnosticDescriptors.NonSquareInput, Title,
                "it lays the patches on a √N × √N grid to compute its position embedding, so any other grid is read wrongly",
                MaeVit.SizeText(input.Height, input.Width), $"size = {MaeVit.Text(small)} or size = {MaeVit.Text(large)} (crop or pad)");
            return null;
        }

        if (a.EmbedDim % 4 != 0)
        {
            context.ReportAt("embed_dim", DiagnosticDescriptors.ArgumentOutOfRange, "embed_dim", Title,
                "a multiple of 4 (the 2D sin-cos position embedding gives each axis D/2 channels of sines and cosines)", MaeVit.Text(a.EmbedDim));
            return null;
        }

        MaeVit.ReportPadding(input, a.Patch, context);
        var layout = new TokenLayout(HasClsToken: true, Frames: 1, Rows: a.Grid, Columns: a.Grid);
        var tokens = TensorShape.Of(1 + layout.PatchTokens, a.EmbedDim);
        return new FeatureShape(FeatureKind.Tokens, a.OutIndices.Select(_ => tokens).ToEquatableArray(), layout);
    }

    public override long CountParameters(InputSpec input, ArgumentList args)
    {
        var a = Resolve(input, args);
        long d = a.EmbedDim;
        long patchEmbed = MaeVit.PatchEmbed(a.InChannels, a.Patch, d);
        long clsToken = d;
        long finalNorm = 2 * d;
        return patchEmbed + clsToken + (a.Depth * MaeVit.Block(d, a.MlpHidden)) + finalNorm;
    }

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        long tokens = TransformerActivations.Tokens(output);
        long returned = output.Tensors.Sum(t => t.Elements);
        long pixels = (long)a.InChannels * a.ImageSize * a.ImageSize;
        return MaeVit.Activations(tokens, a.EmbedDim, a.Heads, a.MlpHidden, a.Depth, returned, pixels, settings);
    }

    private static string Summarise(ScaleMaeVariant v) =>
        $"Scale-MAE ViT (GSD-scaled sin-cos positions), D={v.EmbedDim}, {v.Depth} blocks, {v.Heads} heads, patch {v.Patch}, square RGB inputs " +
        $"(TerraTorch Scale-MAE registry: {v.RegistryName}; {v.Source})";

    private static ParameterInfo[] BuildParameters(ScaleMaeVariant v) => new[]
    {
        MaeVit.Pretrained,
        MaeVit.DropPathRate,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), "Blocks whose tokens are outputs (default: [-1], the last, as TerraTorch)."),
        ParameterInfo.With("res", ParameterType.Float(1e-6, 1e6), 1.0,
            "Ground sample distance in metres that scales the position grid (TerraTorch's default_input_res, torchgeo's res; default 1)."),
    }.Concat(MaeVit.SizeOverrides(v.EmbedDim, v.Depth, v.Heads)).ToArray();
}
