using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Diagnostics;

/// <summary>
/// The names of <see cref="GeoDiagnostic.Properties"/>: what the rule that reports a diagnostic hands to a code fix.
/// The same names reach Roslyn's <c>Diagnostic.Properties</c>.
/// </summary>
public static class DiagnosticProperties
{
    /// <summary>Text that replaces the diagnostic's span (e.g. the bands in the pretrained order).</summary>
    public const string Replacement = "GeoDsl.Replacement";

    /// <summary>A neck to insert before the stage the diagnostic is on (e.g. <c>reshape_tokens_to_image</c>).</summary>
    public const string InsertNeck = "GeoDsl.InsertNeck";

    /// <summary>The arguments of <see cref="InsertNeck"/>, as written inside its braces (empty for none).</summary>
    public const string InsertNeckArguments = "GeoDsl.InsertNeckArguments";

    /// <summary>Prefix of a train setting that fixes the problem: <c>GeoDsl.Train.batch_size</c> = <c>4</c>.</summary>
    public const string TrainSettingPrefix = "GeoDsl.Train.";

    public static EquatableArray<DiagnosticProperty> ReplaceWith(string text) => EquatableArray.Create(new DiagnosticProperty(Replacement, text));

    public static EquatableArray<DiagnosticProperty> InsertNeckBefore(string neck, string arguments = "") =>
        EquatableArray.Create(new DiagnosticProperty(InsertNeck, neck), new DiagnosticProperty(InsertNeckArguments, arguments));

    /// <summary>Train settings, each a separate fix (<c>batch_size</c> → <c>4</c>, <c>precision</c> → <c>bf16_mixed</c>).</summary>
    public static EquatableArray<DiagnosticProperty> TrainSettings(IEnumerable<(string Name, string Value)> settings) =>
        settings.Select(s => new DiagnosticProperty(TrainSettingPrefix + s.Name, s.Value)).ToEquatableArray();
}
