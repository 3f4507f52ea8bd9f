using System.Collections.Immutable;
using GeoDsl.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GeoDsl.Analyzers;

/// <summary>Reports every front-end diagnostic of the project's <c>.geomodel</c> files, where it was written.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GeoModelFileAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RoslynDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterAdditionalFileAction(AnalyzeFile);
    }

    private static void AnalyzeFile(AdditionalFileAnalysisContext context)
    {
        string path = context.AdditionalFile.Path;
        if (!path.EndsWith(".geomodel", System.StringComparison.OrdinalIgnoreCase) || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        var file = GeoModelCompiler.Compile(path, text.ToString());
        foreach (var diagnostic in file.Diagnostics)
        {
            var span = new TextSpan(diagnostic.Location.Span.Start, diagnostic.Location.Span.Length);
            var lines = new LinePositionSpan(
                new LinePosition(diagnostic.Location.Start.Line, diagnostic.Location.Start.Character),
                new LinePosition(diagnostic.Location.End.Line, diagnostic.Location.End.Character));
            context.ReportDiagnostic(RoslynDescriptors.ToRoslyn(diagnostic, Location.Create(path, span, lines)));
        }
    }
}
