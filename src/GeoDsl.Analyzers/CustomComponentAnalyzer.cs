using System.Collections.Immutable;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Analyzers;

/// <summary>
/// Reports an inconsistent custom component declaration (GEO1040–GEO1044) on the attribute itself, on the named
/// argument it concerns where there is one. The rules are the front end's (<see cref="CustomComponentRules"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CustomComponentAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RoslynDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (var attribute in type.GetAttributes())
        {
            if (CustomComponentReader.Read(type, attribute) is not { } declaration
                || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax)
            {
                continue;
            }

            foreach (var problem in CustomComponentRules.Check(declaration, ComponentCatalog.Default))
            {
                // A problem of a named argument goes on it; one of the whole component on its name (the first argument).
                var argument = problem.Property is null
                    ? syntax.ArgumentList?.Arguments.FirstOrDefault()
                    : syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == problem.Property);
                var location = (argument ?? (SyntaxNode)syntax).GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(RoslynDescriptors.For(problem.Descriptor), location, problem.Message));
            }
        }
    }
}
