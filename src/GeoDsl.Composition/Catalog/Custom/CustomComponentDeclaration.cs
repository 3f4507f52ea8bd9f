using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Catalog.Custom;

/// <summary>
/// A user's component as its <c>[GeoCustomBackbone]</c> / <c>[GeoCustomNeck]</c> / <c>[GeoCustomDecoder]</c> /
/// <c>[GeoCustomHead]</c> attribute declares it: plain values, so the generator caches on it. The generator and the
/// analyzers read it from the compilation (source or referenced metadata), the runtime from reflection; all three go
/// through <see cref="FromAttribute"/>, and the catalog entries come from <see cref="CustomComponents.Describe"/>.
/// </summary>
/// <param name="Kind">Backbone, neck, decoder or head.</param>
/// <param name="Name">The name models use (<c>backbone my_encoder</c>).</param>
/// <param name="TypeName">The module class, full C# name without <c>global::</c> (nested types with '.').</param>
public sealed record CustomComponentDeclaration(ComponentKind Kind, string Name, string TypeName)
{
    /// <summary>Bands the backbone expects, in order (empty: any bands, or only a channel count).</summary>
    public EquatableArray<string> Bands { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Input channels the backbone accepts; 0 when it takes any number (or as many as <see cref="Bands"/>).</summary>
    public int InChannels { get; init; }

    /// <summary>Frames the backbone consumes itself; 1 means one image (several frames then go through the temporal wrapper).</summary>
    public int Frames { get; init; } = 1;

    public int DefaultSize { get; init; } = 224;

    /// <summary>Height and width are padded to this multiple; 0 means the largest stride (or the patch size).</summary>
    public int PaddingMultiple { get; init; }

    /// <summary>The feature kind a neck, decoder or head takes (tokens, maps, channel_last_maps, pooled).</summary>
    public string Input { get; init; } = string.Empty;

    /// <summary>The feature kind a backbone or neck gives.</summary>
    public string Output { get; init; } = string.Empty;

    /// <summary>Channels per output (maps, pooled); for a decoder its one output width.</summary>
    public EquatableArray<int> Channels { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Stride of each output map relative to the (padded) input image.</summary>
    public EquatableArray<int> Strides { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Channels a neck or decoder requires per incoming feature (empty: any).</summary>
    public EquatableArray<int> InputChannels { get; init; } = EquatableArray<int>.Empty;

    /// <summary>Token width D of a token backbone.</summary>
    public int TokenWidth { get; init; }

    /// <summary>Pixels per token side (the token grid's stride).</summary>
    public int PatchSize { get; init; }

    /// <summary>Token sequences the backbone returns (e.g. one per selected block).</summary>
    public int TokenOutputs { get; init; } = 1;

    public bool ClsToken { get; init; }

    /// <summary>Spatial factor of a neck, decoder or head output over its (finest) input map.</summary>
    public int Upscale { get; init; } = 1;

    /// <summary>The task a head serves: segmentation, regression or classification.</summary>
    public string Task { get; init; } = string.Empty;

    /// <summary>Learnable parameters, for counts and memory; -1 when not declared (then counted as 0 and said so).</summary>
    public long Parameters { get; init; } = -1;

    public string Summary { get; init; } = string.Empty;

    /// <summary>
    /// What the reader found wrong with the class itself (e.g. "derives from Backbone&lt;TokenFeatures&gt; but declares
    /// maps"), null when it fits. Set by the Roslyn and reflection readers, which see the class.
    /// </summary>
    public string? ClassProblem { get; init; }

    /// <summary>True when the module's constructor takes a <c>ComponentBuild</c> (else it has a parameterless one).</summary>
    public bool ConstructorTakesBuild { get; init; }

    /// <summary>"custom backbone 'my_encoder'", for messages.</summary>
    public string Title => $"custom {Kind.ToString().ToLowerInvariant()} '{Name}'";

    /// <summary>The attribute class for each kind, without the namespace (<c>GeoDsl</c>) and without "Attribute".</summary>
    public static IReadOnlyDictionary<string, ComponentKind> AttributeNames { get; } = new Dictionary<string, ComponentKind>
    {
        ["GeoCustomBackbone"] = ComponentKind.Backbone,
        ["GeoCustomNeck"] = ComponentKind.Neck,
        ["GeoCustomDecoder"] = ComponentKind.Decoder,
        ["GeoCustomHead"] = ComponentKind.Head,
    };

    /// <summary>
    /// Builds a declaration from an attribute's values: <paramref name="named"/> holds the named arguments as the
    /// readers convert them (int, long, bool, string, int[] and string[]). Unknown names are ignored: the attribute
    /// class defines which exist, the compiler checks them.
    /// </summary>
    public static CustomComponentDeclaration FromAttribute(ComponentKind kind, string name, string typeName, IReadOnlyDictionary<string, object?> named)
    {
        int Int(string key, int fallback) => named.TryGetValue(key, out var v) && v is not null ? System.Convert.ToInt32(v, CultureInfo.InvariantCulture) : fallback;
        string Text(string key) => named.TryGetValue(key, out var v) && v is string s ? s : string.Empty;
        EquatableArray<int> Ints(string key) => named.TryGetValue(key, out var v) && v is IEnumerable<int> list ? list.ToEquatableArray() : EquatableArray<int>.Empty;

        return new CustomComponentDeclaration(kind, name, typeName)
        {
            Bands = named.TryGetValue("Bands", out var bands) && bands is IEnumerable<string> list ? list.ToEquatableArray() : EquatableArray<string>.Empty,
            InChannels = Int("InChannels", 0),
            Frames = Int("Frames", 1),
            DefaultSize = Int("DefaultSize", 224),
            PaddingMultiple = Int("PaddingMultiple", 0),
            Input = Text("Input"),
            Output = Text("Output"),
            Channels = Ints("Channels"),
            Strides = Ints("Strides"),
            InputChannels = Ints("InputChannels"),
            TokenWidth = Int("TokenWidth", 0),
            PatchSize = Int("PatchSize", 0),
            TokenOutputs = Int("TokenOutputs", 1),
            ClsToken = named.TryGetValue("ClsToken", out var cls) && cls is true,
            Upscale = Int("Upscale", 1),
            Task = named.TryGetValue("Task", out var task) && task is string t ? t : kind == ComponentKind.Head ? "segmentation" : string.Empty,
            Parameters = named.TryGetValue("Parameters", out var p) && p is not null ? System.Convert.ToInt64(p, CultureInfo.InvariantCulture) : -1,
            Summary = Text("Summary"),
        };
    }

    /// <summary>The feature kind spelled as the attributes spell it, or null when it is none of them.</summary>
    public static FeatureKind? ParseKind(string text) => text switch
    {
        "tokens" => FeatureKind.Tokens,
        "maps" => FeatureKind.Maps,
        "channel_last_maps" => FeatureKind.ChannelLastMaps,
        "pooled" => FeatureKind.Pooled,
        _ => null,
    };

    public static IReadOnlyList<string> KindNames { get; } = new[] { "tokens", "maps", "channel_last_maps", "pooled" };

    /// <summary>The padding multiple in effect: declared, else the largest stride or the patch size, else 1.</summary>
    public int EffectivePaddingMultiple => PaddingMultiple > 0 ? PaddingMultiple
        : Strides.Count > 0 ? Strides.Max()
        : PatchSize > 0 ? PatchSize
        : 1;
}
