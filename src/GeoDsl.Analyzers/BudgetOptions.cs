using System.Collections.Generic;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Analyzers;

/// <summary>The project's memory-budget settings, from the MSBuild properties GeoDsl.props makes visible (<c>build_property.GeoDsl…</c>).</summary>
internal static class BudgetOptions
{
    public static CompileOptions Read(AnalyzerConfigOptionsProvider provider, out IReadOnlyList<string> problems) =>
        BuildProperties.Read(name => provider.GlobalOptions.TryGetValue("build_property." + name, out string? value) ? value : null, out problems);

    /// <summary>GEO2003 for one unreadable setting; it belongs to the project, not to a place in a file.</summary>
    public static Diagnostic Problem(string problem)
    {
        var rule = DiagnosticDescriptors.InvalidBudgetSetting;
        return Diagnostic.Create(RoslynDescriptors.For(rule), Location.None, string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.MessageFormat, problem));
    }
}
