using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// torchvision's Swin transformers (<c>torchvision/models/swin_transformer.py</c>, 0.14): patch embedding
/// (<c>features.0</c>: 4×4 conv, channel-last LayerNorm), four stages of (shifted-)window blocks (<c>features.1, 3, 5, 7</c>)
/// with patch merging between them (<c>features.2, 4, 6</c>); torchvision's final <c>norm</c> and ImageNet <c>head</c> do
/// not touch the features and are left out, as for the other torchvision backbones (ImageNet checkpoints load with them
/// skipped; with them the counts are torchvision's: swin_t 27,517,818 + norm 1,536 + head 769,000 = 28,288,354). Outputs:
/// the stages' channel-last maps [B, H/s, W/s, C·2^i] at strides s = 4, 8, 16, 32, without the final norm; any input
/// bands (the first conv takes them); the input is padded to a multiple of 32.
/// </summary>
public sealed class SwinBackbone : BackboneDescriptor
{
    public SwinBackbone(SwinVariant variant)
        : base(variant.Name, $"{SwinRules.Describe(variant.Shape)}, ImageNet-1K ({variant.Source})", BuildParameters(variant))
    {
        Variant = variant;
    }

    public SwinVariant Variant { get; }

    /// <summary>The ImageNet weights are RGB.</summary>
    public override IReadOnlyList<string> PretrainedBands => SwinVariants.ImageNetRgb;

    public override int DefaultImageSize => Variant.DefaultImageSize;

    public override string RuntimeType => "GeoDsl.Runtime.Backbones.Swin.SwinTransformer";

    public override int PaddingMultiple(ArgumentList args) => SwinRules.OutputStride;

    /// <summary>The encoder's numbers for this input and these arguments; <c>out_indices</c> select stages, in the order given.</summary>
    public SwinArchitecture Resolve(InputSpec input, ArgumentList args) =>
        SwinRules.Resolve(Variant.Shape, input, args, SwinRules.StageCount, new[] { 0, 1, 2, 3 }, ascending: false, "stochastic_depth_prob");

    public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
    {
        var a = Resolve(input, args);
        if (!SwinRules.Check(a, args, SwinRules.StageCount, "its four stages", context, Title))
        {
            return null;
        }

        return new FeatureShape(FeatureKind.ChannelLastMaps, a.OutIndices.Select(a.StageShape).ToEquatableArray());
    }

    public override long CountParameters(InputSpec input, ArgumentList args) => SwinRules.TorchvisionParameters(Resolve(input, args), classes: 0);

    public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings)
    {
        var a = Resolve(input, args);

        // Every stage runs, whatever is selected: torchvision's features are one sequence.
        return SwinRules.Activations(a, SwinRules.StageCount, output, images: 1, settings);
    }

    private static ParameterInfo[] BuildParameters(SwinVariant v) => new[]
    {
        SwinRules.Pretrained,
        ParameterInfo.Optional("out_indices", ParameterType.ListOf(ParameterType.Int(), minCount: 1),
            "Stages whose maps are outputs, 0-3 (default: all four; negative counts from the end)."),
        ParameterInfo.With("stochastic_depth_prob", ParameterType.Float(0, 0.99), v.StochasticDepth,
            $"Stochastic depth of the last block, rising linearly from 0 (torchvision's default for {v.Name}: {v.StochasticDepth})."),
        SwinRules.EmbedDimOverride(v.Shape.EmbedDim),
        SwinRules.DepthsOverride(v.Shape.Depths),
        SwinRules.NumHeadsOverride(v.Shape.NumHeads),
        SwinRules.WindowSizeOverride(v.Shape.WindowSize),
    };
}
