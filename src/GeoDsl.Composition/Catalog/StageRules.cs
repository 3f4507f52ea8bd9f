using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Catalog;

/// <summary>Checks shared by several stage rules, so each message is written once.</summary>
internal static class StageRules
{
    /// <summary>True when <paramref name="stage"/> accepts <paramref name="input"/>'s kind; otherwise reports GEO1001 with a fix.</summary>
    public static bool Accepts(StageDescriptor stage, FeatureShape input, ShapeContext context)
    {
        if (stage.Accepts.Contains(input.Kind))
        {
            return true;
        }

        var expected = stage.Accepts[0];
        string kinds = string.Join(" or ", stage.Accepts.Select(FeatureShape.Describe));
        var neck = ConvertingNeck(input.Kind, expected);
        var fix = neck is { } n ? DiagnosticProperties.InsertNeckBefore(n.Name, n.Arguments) : EquatableArray<DiagnosticProperty>.Empty;
        context.ReportWithFix(null, DiagnosticDescriptors.FeatureKindMismatch, fix, stage.Title, kinds, input.ToString(), context.PreviousStage, Fix(input.Kind, expected));
        return false;
    }

    /// <summary>The neck that converts one kind into another, as advice.</summary>
    public static string Fix(FeatureKind actual, FeatureKind expected) => ConvertingNeck(actual, expected) is { } neck
        ? $" Add 'neck {neck.Name}{(neck.Arguments.Length == 0 ? string.Empty : " { " + neck.Arguments + " }")}' before it."
        : (actual, expected) == (FeatureKind.Maps, FeatureKind.Tokens) ? " These are already images: remove the token neck." : string.Empty;

    /// <summary>The neck (name, arguments) TerraTorch users put between the two kinds; null when none converts them.</summary>
    public static (string Name, string Arguments)? ConvertingNeck(FeatureKind actual, FeatureKind expected) => (actual, expected) switch
    {
        (FeatureKind.Tokens, FeatureKind.Maps) => ("reshape_tokens_to_image", string.Empty),
        (FeatureKind.ChannelLastMaps, FeatureKind.Maps) => ("permute_dims", "new_order = [0, 3, 1, 2]"),
        (FeatureKind.Tokens, FeatureKind.Pooled) => ("aggregate_tokens", string.Empty),
        _ => null,
    };

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python-style index into a list of <paramref name="count"/>; null when out of range.</summary>
    public static int? Normalise(int index, int count)
    {
        int resolved = index < 0 ? count + index : index;
        return resolved >= 0 && resolved < count ? resolved : null;
    }

    public static string ValidRange(int count) => count == 0 ? "none" : $"-{count}..{count - 1}";
}
