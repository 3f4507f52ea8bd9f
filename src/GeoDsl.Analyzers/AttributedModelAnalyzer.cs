using System.Collections.Immutable;
using GeoDsl.Composition.Attributes;
using GeoDiagnostics = GeoDsl.Composition.Diagnostics;
using GeoDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Analyzers;

/// <summary>Reports the front end's diagnostics for <c>[GeoModel]</c> classes on their attributes' arguments.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AttributedModelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RoslynDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(AttributedModelReader.GeoModelAttribute);
            if (attribute is not null)
            {
                var options = BudgetOptions.Read(start.Options.AnalyzerConfigOptionsProvider, out _)
                    with { CustomComponents = CustomComponentReader.FromCompilation(start.Compilation, start.CancellationToken) };
                start.RegisterSymbolAction(symbol => Analyze(symbol, attribute, options), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol attribute, Composition.Options.CompileOptions options)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (var data in type.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)
                || data.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } syntax
                || syntax.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
            {
                continue;
            }

            if (AttributedModelReader.ShapeProblem(type, declaration) is { } problem)
            {
                var rule = GeoDiagnostics.DiagnosticDescriptors.GeoModelClassShape;
                string message = string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.MessageFormat, type.Name, problem.Requirement, problem.Fix);
                context.ReportDiagnostic(Diagnostic.Create(RoslynDescriptors.For(rule), declaration.Identifier.GetLocation(), message));
                continue;
            }

            if (AttributedModelReader.Read(type, declaration, context.CancellationToken) is not { } model)
            {
                continue;
            }

            var tree = declaration.SyntaxTree;
            var text = new Composition.Text.SourceText(tree.GetText(context.CancellationToken).ToString());
            foreach (var diagnostic in AttributedModel.Compile(model, text, options).Diagnostics)
            {
                var span = new Microsoft.CodeAnalysis.Text.TextSpan(diagnostic.Location.Span.Start, diagnostic.Location.Span.Length);
                context.ReportDiagnostic(RoslynDescriptors.ToRoslyn(diagnostic, Location.Create(tree, span)));
            }
        }
    }
}
