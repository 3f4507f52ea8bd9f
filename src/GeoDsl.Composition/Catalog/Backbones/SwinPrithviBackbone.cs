using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The Prithvi-Swin encoders (TerraTorch <c>terratorch/models/backbones/prithvi_swin.py</c> @85467a9, the backbones of
/// the granite-geospatial biomass and land-surface-temperature models): TerraTorch's MMSeg-style Swin v1
/// (<c>swin_encoder_decoder.py</c>, <c>MMSegSwinTransformer</c>, patch 4, window 7) built by timm with
/// <c>features_only</c>, which keeps <c>patch_embed</c> and <c>stages_0…</c> up to the last selected stage and drops the
/// classifier. Each stage's output passes its own LayerNorm and comes channel-last [B, H/s, W/s, C·2^i] (s = 4…32);
/// <c>out_indices</c> (default all four) come in stage order, each once. Pretrained on the six HLS bands.
/// </summary>
public sealed class SwinPrithviBackbone : BackboneDescriptor
{
    public SwinPrithviBackbone(PrithviSwinVariant variant)
        : base(variant.Name, $"Prithvi-{SwinRules.Describe(variant.Shape)}, HLS ({variant.Source})", BuildParameters(variant))
    {
        Variant = variant;
    }

    public PrithviSwinVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => Bands.PrithviDefault;

    /// <summary><c>MMSegSwinTransformer</c>'s <c>pretrain_img_size</c>; the granite models tile 224 × 224.</summary>
    public override int DefaultImageSize => 224;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Swin.PrithviSwinTransformer";

    public override int PaddingMultiple(ArgumentList args) => SwinRules.OutputStride;

    /// <summary>The encoder's numbers; <c>OutIndices</c> are stages, ascending.</summary>
    public SwinArchitecture Resolve(InputSpec input, ArgumentList args) =>
        SwinRules.Resolve(Variant.Shape, input, args, SwinRules.StageCount, new[] { 0, 1, 2, 3 }, ascending: true, "drop_path_rate");

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!SwinRules.Check(a, args, SwinRules.StageCount, "its four stages", context, Title))
        {
            return null;
        }

        return new FeatureShape(FeatureKind.ChannelLastMaps, a.OutIndices.Select(a.StageShape).ToEquatableArray());
    }

    public override long CountParameters(InputSpec input, ArgumentList args) => SwinRules.MmsegParameters(Resolve(input, args));

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);
        return SwinRules.Activations(a, a.OutIndices.Max() + 1, output, images: 1, settings);
    }

    private static ParameterInfo[] BuildParameters(PrithviSwinVariant v) => new[]
    {
        SwinRules.Pretrained,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1),
            "Stages whose normed maps are outputs, 0-3 (default: all four; stages after the last one are not built)."),
        ParameterInfo.With("drop_path_rate", ParameterType.Float(0, 0.99), 0.1,
            "Stochastic depth of the last block, rising linearly from 0 (MMSegSwinTransformer's default 0.1)."),
        SwinRules.EmbedDimOverride(v.Shape.EmbedDim),
        SwinRules.DepthsOverride(v.Shape.Depths),
        SwinRules.NumHeadsOverride(v.Shape.NumHeads),
        SwinRules.WindowSizeOverride(v.Shape.WindowSize),
    };
}
