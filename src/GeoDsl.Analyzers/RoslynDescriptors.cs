using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using Rs = Microsoft.CodeAnalysis;

namespace GeoDsl.Analyzers;

/// <summary>The front end's diagnostics catalog as Roslyn descriptors: same IDs, titles, messages and severities.</summary>
internal static class RoslynDescriptors
{
    private static readonly Dictionary<string, Rs.DiagnosticDescriptor> ById = DiagnosticDescriptors.All.ToDictionary(d => d.Id, Convert);

    public static ImmutableArray<Rs.DiagnosticDescriptor> All { get; } = ById.Values.ToImmutableArray();

    public static Rs.DiagnosticDescriptor For(DiagnosticDescriptor descriptor) => ById[descriptor.Id];

    private static Rs.DiagnosticDescriptor Convert(DiagnosticDescriptor d) => new(
        d.Id,
        d.Title,
        // The front end fills the message; Roslyn gets it whole, so '{' and '}' in it stay literal.
        "{0}",
        d.Category,
        Severity(d.Severity),
        isEnabledByDefault: true,
        description: d.MessageFormat,
        helpLinkUri: d.HelpLink,
        customTags: d.Id == DiagnosticDescriptors.InvalidBudgetSetting.Id ? new[] { Rs.WellKnownDiagnosticTags.CompilationEnd } : System.Array.Empty<string>());

    /// <summary>A front-end diagnostic as a Roslyn one, at <paramref name="location"/>, at the severity it was reported with
    /// (the project can change a budget rule's, e.g. <c>GeoDslMemorySeverity</c>).</summary>
    public static Rs.Diagnostic ToRoslyn(GeoDiagnostic diagnostic, Rs.Location location)
    {
        var rule = For(diagnostic.Descriptor);
        // What a code fix needs, computed by the rule itself (GeoDsl.CodeFixes reads it, never re-deriving it).
        var properties = diagnostic.Properties.IsEmpty
            ? null
            : diagnostic.Properties.ToImmutableDictionary(p => p.Name, p => (string?)p.Value);
        return Rs.Diagnostic.Create(rule, location, Severity(diagnostic.Severity), additionalLocations: null, properties, diagnostic.Message);
    }

    private static Rs.DiagnosticSeverity Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => Rs.DiagnosticSeverity.Error,
        DiagnosticSeverity.Warning => Rs.DiagnosticSeverity.Warning,
        _ => Rs.DiagnosticSeverity.Info,
    };
}
