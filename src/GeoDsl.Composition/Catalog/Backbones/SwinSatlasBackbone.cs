using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The SatlasPretrain Swin-v2 backbones as TerraTorch registers them (<c>terratorch/models/backbones/torchgeo_swin_satlas.py</c>
/// @85467a9): torchvision's <c>swin_v2_t</c>/<c>swin_v2_b</c> with the first conv taking the model's bands, held as
/// <c>swin_model</c> by <c>SwinEncoderWrapper</c>, with torchvision's final <c>norm</c> and 1000-class <c>head</c> (unused,
/// but part of TerraTorch's model and state dict). <c>out_indices</c> index the eight <c>features</c> modules (patch
/// embedding, stage 1, merging, stage 2, …), whose channel-last outputs have [C, C, 2C, 2C, 4C, 4C, 8C, 8C] channels at
/// strides [4, 4, 8, 8, 16, 16, 32, 32]; default <c>[-1]</c>, the last stage. Outputs come in module order, each once, as
/// TerraTorch returns them; a negative index other than -1 counts from the end here, where TerraTorch drops it.
/// Multi-image ("mi") variants take several images of one place as frames [B, C, T, H, W], run the backbone on each
/// and max-pool every output over the images, as satlaspretrain_models' <c>AggregationBackbone</c> does.
/// </summary>
public sealed class SwinSatlasBackbone : BackboneDescriptor
{
    /// <summary>torchvision's <c>features</c>: the patch embedding, four stages and three mergings.</summary>
    public const int FeatureModules = 8;

    public SwinSatlasBackbone(SatlasSwinVariant variant)
        : base(variant.Name, Summarise(variant), BuildParameters(variant))
    {
        Variant = variant;
    }

    public SatlasSwinVariant Variant { get; }

    public override IReadOnlyList<string> PretrainedBands => Variant.PretrainedBands;

    /// <summary>torchgeo's Satlas transforms centre-crop 256 px.</summary>
    public override int DefaultImageSize => 256;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Swin.SatlasSwinTransformer";

    /// <summary>Multi-image variants pool their frames themselves; single-image ones get <c>temporal_pooling</c>.</summary>
    public override bool HandlesFrames => Variant.MultiImage;

    public override int PaddingMultiple(ArgumentList args) => SwinRules.OutputStride;

    /// <summary>Stride of <c>features[index]</c>.</summary>
    public static int FeatureStride(int index) => SwinRules.PatchSize << (index / 2);

    /// <summary>The stage whose width <c>features[index]</c> has: the patch embedding and stage 1 share C, a merging has the next stage's.</summary>
    public static int FeatureStage(int index) => index / 2;

    /// <summary>The encoder's numbers; <c>OutIndices</c> are <c>features</c> indices, ascending.</summary>
    public SwinArchitecture Resolve(InputSpec input, ArgumentList args) =>
        SwinRules.Resolve(Variant.Shape, input, args, FeatureModules, new[] { -1 }, ascending: true, "stochastic_depth_prob");

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!SwinRules.Check(a, args, FeatureModules, "torchvision's eight features modules", context, Title))
        {
            return null;
        }

        return new FeatureShape(FeatureKind.ChannelLastMaps, a.OutIndices.Select(i => a.StageShape(FeatureStage(i))).ToEquatableArray());
    }

    /// <summary>With torchvision's final norm and 1000-class head, which TerraTorch's wrapper keeps (unused).</summary>
    public override long CountParameters(InputSpec input, ArgumentList args) => SwinRules.TorchvisionParameters(Resolve(input, args), SwinRules.ImageNetClasses);

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);

        // TerraTorch runs all eight modules whatever is selected; a multi-image sample is T images.
        return SwinRules.Activations(a, SwinRules.StageCount, output, Variant.MultiImage ? input.Frames : 1, settings);
    }

    private static string Summarise(SatlasSwinVariant v) =>
        $"SatlasPretrain {SwinRules.Describe(v.Shape)}, {(v.MultiImage ? "multi-image (max-pooled)" : "single-image")}, bands {string.Join(", ", v.PretrainedBands)} (torchgeo {v.Weights})";

    private static ParameterInfo[] BuildParameters(SatlasSwinVariant v) => new[]
    {
        SwinRules.Pretrained,
        ParameterInfo.With("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1), ParameterInfo.Ints(-1),
            "torchvision features modules whose outputs are returned, 0-7 (1, 3, 5, 7 are the stages; default: the last)."),
        ParameterInfo.With("stochastic_depth_prob", ParameterType.Float(0, 0.99), v.StochasticDepth,
            $"Stochastic depth of the last block, rising linearly from 0 (torchvision's default: {v.StochasticDepth})."),
        SwinRules.EmbedDimOverride(v.Shape.EmbedDim),
        SwinRules.DepthsOverride(v.Shape.Depths),
        SwinRules.NumHeadsOverride(v.Shape.NumHeads),
        SwinRules.WindowSizeOverride(v.Shape.WindowSize),
    };
}
