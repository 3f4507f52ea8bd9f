using System.Collections.Generic;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Generators.Emit;

/// <summary>
/// The GeoDsl.Runtime type that implements each catalog component and each feature kind, for the typed stages of
/// generated classes. The runtime registry builds these same types (a test checks every entry against it).
/// </summary>
internal static class RuntimeTypes
{
    private const string Runtime = "global::GeoDsl.Runtime.";

    private static readonly Dictionary<string, string> Components = new()
    {
        ["neck:select_indices"] = Runtime + "Necks.SelectIndices<{0}>",
        ["neck:reshape_tokens_to_image"] = Runtime + "Necks.ReshapeTokensToImage",
        ["neck:interpolate_to_pyramidal"] = Runtime + "Necks.InterpolateToPyramidal",
        ["neck:maxpool_to_pyramidal"] = Runtime + "Necks.MaxpoolToPyramidal",
        ["neck:learned_interpolate_to_pyramidal"] = Runtime + "Necks.LearnedInterpolateToPyramidal",
        ["neck:add_bottleneck_layer"] = Runtime + "Necks.AddBottleneckLayer",
        ["neck:permute_dims"] = Runtime + "Necks.PermuteDims",
        ["neck:aggregate_tokens"] = Runtime + "Necks.AggregateTokens",
        ["decoder:fcn"] = Runtime + "Decoders.FcnDecoder",
        ["decoder:uper_net"] = Runtime + "Decoders.UperNetDecoder",
        ["decoder:unet"] = Runtime + "Decoders.UNetDecoder",
        ["decoder:identity"] = Runtime + "Decoders.IdentityDecoder",
        ["decoder:linear"] = Runtime + "Decoders.LinearDecoder",
        ["head:segmentation"] = Runtime + "Heads.SegmentationHead",
        ["head:regression"] = Runtime + "Heads.RegressionHead",
        ["head:classification"] = Runtime + "Heads.ClassificationHead",
    };

    /// <summary>The implementing type of a stage; <paramref name="input"/> fills the feature type of generic necks.</summary>
    public static string? Component(string kind, string name, FeatureKind input)
    {
        // Backbones name their runtime class in the catalog; the other stages are few and listed here.
        if (kind == "backbone")
        {
            return ComponentCatalog.Default.FindBackbone(name) is { } backbone ? "global::" + backbone.RuntimeType : null;
        }

        return Components.TryGetValue(kind + ":" + name, out string? type) ? string.Format(System.Globalization.CultureInfo.InvariantCulture, type, Feature(input)) : null;
    }

    /// <summary>The model's backbone module type: the catalog's class, or the temporal wrapper around it.</summary>
    public static string? Backbone(GeoDsl.Composition.Specs.ModelSpec spec, FeatureKind output)
    {
        if (ComponentCatalog.Default.FindBackbone(spec.Backbone.Name) is not { } backbone)
        {
            return null;
        }

        return TemporalPooling.Of(backbone, spec.Backbone.Args) == TemporalPooling.None
            ? "global::" + backbone.RuntimeType
            : Runtime + "Backbones.TemporalWrapper<" + Feature(output) + ">";
    }

    public static string Feature(FeatureKind kind) => Runtime + "Features." + kind switch
    {
        FeatureKind.Tokens => "TokenFeatures",
        FeatureKind.ChannelLastMaps => "ChannelLastMapFeatures",
        FeatureKind.Pooled => "PooledFeatures",
        _ => "MapFeatures",
    };
}
