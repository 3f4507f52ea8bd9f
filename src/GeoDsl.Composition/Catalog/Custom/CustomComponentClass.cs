using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Custom;

/// <summary>
/// What a reader saw of a custom component's class: the GeoDsl.Runtime base it derives from, that base's feature
/// type arguments (simple names such as <c>MapFeatures</c>) and its public constructors. The Roslyn reader and the
/// reflection reader both fill it, and <see cref="Problem"/> is the one rule deciding whether the class fits.
/// </summary>
/// <param name="BaseKind">Backbone, Neck, Decoder or Head (the runtime base class's name), or null for none of them.</param>
public sealed record CustomComponentClass(string? BaseKind, string? FeatureIn, string? FeatureOut, bool BuildConstructor, bool DefaultConstructor)
{
    private static readonly Dictionary<string, string> KindOfFeature = new()
    {
        ["TokenFeatures"] = "tokens",
        ["MapFeatures"] = "maps",
        ["ChannelLastMapFeatures"] = "channel_last_maps",
        ["PooledFeatures"] = "pooled",
    };

    /// <summary>The full names of the runtime base classes, as <c>Type.FullName</c> and Roslyn's metadata names spell them.</summary>
    public static IReadOnlyDictionary<string, string> BaseClasses { get; } = new Dictionary<string, string>
    {
        ["GeoDsl.Runtime.Features.Backbone`1"] = "Backbone",
        ["GeoDsl.Runtime.Features.Neck`2"] = "Neck",
        ["GeoDsl.Runtime.Features.Decoder"] = "Decoder",
        ["GeoDsl.Runtime.Features.Head"] = "Head",
    };

    /// <summary>Why the class cannot implement the declaration, or null when it can.</summary>
    public string? Problem(CustomComponentDeclaration declaration)
    {
        string expectedBase = declaration.Kind switch
        {
            ComponentKind.Backbone => "Backbone<TFeatures>",
            ComponentKind.Neck => "Neck<TIn, TOut>",
            ComponentKind.Decoder => "Decoder",
            _ => "Head",
        };
        if (BaseKind != declaration.Kind.ToString())
        {
            return $"{declaration.TypeName} does not derive from GeoDsl.Runtime.Features.{expectedBase}";
        }

        if (FeatureOut is { } output && CustomComponentDeclaration.ParseKind(declaration.Output) is not null && KindOfFeature.TryGetValue(output, out string? outKind) && outKind != declaration.Output)
        {
            return $"{declaration.TypeName} returns {output} ({outKind}) but declares Output = \"{declaration.Output}\"";
        }

        if (FeatureIn is { } input && CustomComponentDeclaration.ParseKind(declaration.Input) is not null && KindOfFeature.TryGetValue(input, out string? inKind) && inKind != declaration.Input)
        {
            return $"{declaration.TypeName} takes {input} ({inKind}) but declares Input = \"{declaration.Input}\"";
        }

        return BuildConstructor || DefaultConstructor
            ? null
            : $"{declaration.TypeName} has no public constructor taking a ComponentBuild or nothing";
    }
}
