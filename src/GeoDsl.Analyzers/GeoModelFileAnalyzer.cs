using System.Collections.Immutable;
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
        context.RegisterCompilationStartAction(start =>
        {
            // Every file is compiled once per compilation, together, so a model that repeats another file's class
            // is reported too (the generator generates only the first one).
            string? rootNamespace = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? ns) ? ns : null;
            var options = BudgetOptions.Read(start.Options.AnalyzerConfigOptionsProvider, out var problems)
                with { CustomComponents = Generators.Parsing.CustomComponentReader.FromCompilation(start.Compilation, start.CancellationToken) };
            var project = new System.Lazy<ProjectModels>(() => ProjectModels.Compile(start.Options.AdditionalFiles, start.Compilation, rootNamespace, options, start.CancellationToken));
            start.RegisterAdditionalFileAction(file => AnalyzeFile(file, project.Value));
            if (problems.Count > 0)
            {
                // A project setting has no place in a file: reported once for the compilation (GEO2003).
                start.RegisterCompilationEndAction(end =>
                {
                    foreach (string problem in problems)
                    {
                        end.ReportDiagnostic(BudgetOptions.Problem(problem));
                    }
                });
            }
        });
    }

    private static void AnalyzeFile(AdditionalFileAnalysisContext context, ProjectModels project)
    {
        if (!ProjectModels.IsGeoModel(context.AdditionalFile))
        {
            return;
        }

        string path = context.AdditionalFile.Path;
        foreach (var diagnostic in project.Diagnostics(path))
        {
            var span = new TextSpan(diagnostic.Location.Span.Start, diagnostic.Location.Span.Length);
            var lines = new LinePositionSpan(
                new LinePosition(diagnostic.Location.Start.Line, diagnostic.Location.Start.Character),
                new LinePosition(diagnostic.Location.End.Line, diagnostic.Location.End.Character));
            context.ReportDiagnostic(RoslynDescriptors.ToRoslyn(diagnostic, Location.Create(path, span, lines)));
        }
    }
}
