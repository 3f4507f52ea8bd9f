using System.Collections.Generic;
using GeoDsl.Composition.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GeoDsl.CodeFixes;

/// <summary>One fix a diagnostic offers: replace its span, insert a neck before its stage, or set a train setting.</summary>
internal abstract record FixRequest(string Title)
{
    /// <summary>Every fix the diagnostic's properties describe (none when the rule attached none).</summary>
    public static IEnumerable<FixRequest> Of(Diagnostic diagnostic)
    {
        if (FixableDiagnostics.Get(diagnostic, DiagnosticProperties.Replacement) is { } replacement)
        {
            yield return new Replace(replacement);
        }

        if (FixableDiagnostics.Get(diagnostic, DiagnosticProperties.InsertNeck) is { } neck)
        {
            yield return new InsertNeck(neck, FixableDiagnostics.Get(diagnostic, DiagnosticProperties.InsertNeckArguments) ?? string.Empty);
        }

        foreach (var (name, value) in FixableDiagnostics.TrainSettings(diagnostic))
        {
            yield return new SetTrainSetting(name, value);
        }
    }

    /// <summary>Distinguishes the fixes of one diagnostic for Fix All (titles differ between kinds and values).</summary>
    public string EquivalenceKey => Title;

    public sealed record Replace(string Text) : FixRequest(FixableDiagnostics.ReplacementTitle);

    public sealed record InsertNeck(string Neck, string Arguments) : FixRequest(FixableDiagnostics.InsertNeckTitle(Neck));

    public sealed record SetTrainSetting(string Name, string Value) : FixRequest(FixableDiagnostics.TrainSettingTitle(Name, Value));
}
