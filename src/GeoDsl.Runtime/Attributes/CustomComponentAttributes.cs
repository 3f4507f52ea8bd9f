using System;

namespace GeoDsl;

// Attributes that declare a TorchSharp module as a component models can use by name (TerraTorch's registry
// decorators, with a contract). GeoDsl.Composition's CustomComponentDeclaration reads them; the generator and
// analyzers from the compilation, the runtime by reflection. Feature kinds are spelled as in FeatureKinds.

/// <summary>The feature kinds a custom component declares (its Input and Output).</summary>
public static class FeatureKinds
{
    /// <summary>Token sequences [B, N(+cls), D].</summary>
    public const string Tokens = "tokens";

    /// <summary>Channel-first maps [B, C, H, W].</summary>
    public const string Maps = "maps";

    /// <summary>Channel-last maps [B, H, W, C].</summary>
    public const string ChannelLastMaps = "channel_last_maps";

    /// <summary>Pooled vectors [B, D].</summary>
    public const string Pooled = "pooled";
}

/// <summary>What every custom component declares: its name, a summary and its parameter count.</summary>
public abstract class GeoCustomComponentAttribute : Attribute
{
    protected GeoCustomComponentAttribute(string name) => Name = name;

    /// <summary>The name models use, lower case with '_' (e.g. "my_encoder").</summary>
    public string Name { get; }

    public string Summary { get; set; } = string.Empty;

    /// <summary>Learnable parameters, for counts and memory estimates; -1 (unknown) counts as 0 and says so.</summary>
    public long Parameters { get; set; } = -1;

    /// <summary>Channels per output (maps, pooled); a decoder's output width; a regression head's outputs.</summary>
    public int[] Channels { get; set; } = Array.Empty<int>();
}

/// <summary>
/// Declares a <c>Backbone&lt;TFeatures&gt;</c> as a backbone, e.g.
/// <c>[GeoCustomBackbone("my_encoder", InChannels = 6, Output = FeatureKinds.Maps, Channels = new[] { 32, 64 }, Strides = new[] { 4, 8 })]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoCustomBackboneAttribute : GeoCustomComponentAttribute
{
    public GeoCustomBackboneAttribute(string name) : base(name)
    {
    }

    /// <summary>The bands it was trained on, in order (GeoDsl band names); empty when any bands go.</summary>
    public string[] Bands { get; set; } = Array.Empty<string>();

    /// <summary>Input channels it accepts; 0 for any number.</summary>
    public int InChannels { get; set; }

    /// <summary>Frames it consumes itself; 1 lets several frames go through the temporal wrapper.</summary>
    public int Frames { get; set; } = 1;

    public int DefaultSize { get; set; } = 224;

    /// <summary>Pad height and width to this multiple (a power of two); 0 uses the largest stride or the patch size.</summary>
    public int PaddingMultiple { get; set; }

    /// <summary>tokens, maps, channel_last_maps or pooled (see <see cref="FeatureKinds"/>).</summary>
    public string Output { get; set; } = string.Empty;

    /// <summary>Stride of each output map (powers of two), one per <see cref="GeoCustomComponentAttribute.Channels"/> entry.</summary>
    public int[] Strides { get; set; } = Array.Empty<int>();

    /// <summary>Token width D (token outputs).</summary>
    public int TokenWidth { get; set; }

    /// <summary>Pixels per token side (token outputs).</summary>
    public int PatchSize { get; set; }

    /// <summary>How many token sequences it returns.</summary>
    public int TokenOutputs { get; set; } = 1;

    /// <summary>Whether token 0 is a class token.</summary>
    public bool ClsToken { get; set; }
}

/// <summary>What necks, decoders and heads declare beyond a name: the channels they require and how they scale maps.</summary>
public abstract class GeoCustomStageAttribute : GeoCustomComponentAttribute
{
    protected GeoCustomStageAttribute(string name) : base(name)
    {
    }

    /// <summary>Channels it requires per incoming feature (empty: any).</summary>
    public int[] InputChannels { get; set; } = Array.Empty<int>();

    /// <summary>Spatial factor of its output maps over its (finest) input map (a power of two).</summary>
    public int Upscale { get; set; } = 1;
}

/// <summary>Declares a <c>Neck&lt;TIn, TOut&gt;</c> as a neck; Channels (optional) replaces each feature's width.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoCustomNeckAttribute : GeoCustomStageAttribute
{
    public GeoCustomNeckAttribute(string name) : base(name)
    {
    }

    public string Input { get; set; } = string.Empty;

    public string Output { get; set; } = string.Empty;

}

/// <summary>Declares a <c>Decoder</c>: maps in, one map of Channels[0] at the finest input's size × Upscale.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoCustomDecoderAttribute : GeoCustomStageAttribute
{
    public GeoCustomDecoderAttribute(string name) : base(name)
    {
    }

    public string Input { get; set; } = FeatureKinds.Maps;
}

/// <summary>Declares a <c>Head</c> for a task; segmentation and classification heads take <c>num_classes</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GeoCustomHeadAttribute : GeoCustomStageAttribute
{
    public GeoCustomHeadAttribute(string name) : base(name)
    {
    }

    /// <summary>segmentation, regression or classification.</summary>
    public string Task { get; set; } = "segmentation";

    public string Input { get; set; } = FeatureKinds.Maps;
}
