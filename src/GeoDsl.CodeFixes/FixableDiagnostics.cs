using System.Collections.Immutable;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GeoDsl.CodeFixes;

/// <summary>What each fixable diagnostic carries (its <see cref="DiagnosticProperties"/>), and the fix's title.</summary>
internal static class FixableDiagnostics
{
    public static ImmutableArray<string> Ids { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.FeatureKindMismatch.Id,
        DiagnosticDescriptors.PyramidScaleMismatch.Id,
        DiagnosticDescriptors.BandOrderDiffersFromPretrained.Id,
        DiagnosticDescriptors.TrainingMemoryExceedsBudget.Id,
        DiagnosticDescriptors.TrainingMemoryNearBudget.Id);

    public static string? Get(Diagnostic diagnostic, string name) =>
        diagnostic.Properties.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The train settings the diagnostic offers, in the rule's order (the largest batch first).</summary>
    public static ImmutableArray<(string Name, string Value)> TrainSettings(Diagnostic diagnostic) => diagnostic.Properties
        .Where(p => p.Key.StartsWith(DiagnosticProperties.TrainSettingPrefix, System.StringComparison.Ordinal) && p.Value is not null)
        .Select(p => (p.Key.Substring(DiagnosticProperties.TrainSettingPrefix.Length), p.Value!))
        .OrderBy(p => p.Item1 == "batch_size" ? 0 : 1).ThenBy(p => p.Item1, System.StringComparer.Ordinal)
        .ToImmutableArray();

    public static string InsertNeckTitle(string neck) => $"Insert 'neck {neck}'";

    public static string TrainSettingTitle(string name, string value) => $"Set {name} = {value}";

    public const string ReplacementTitle = "List the bands in the pretrained order";
}
