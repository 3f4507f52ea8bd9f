using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GeoDsl.Composition.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace GeoDsl.CodeFixes;

/// <summary>
/// Fixes on <c>[GeoModel]</c> classes: the bands in the pretrained order (inside the <c>[GeoInput]</c> string), a
/// <c>[GeoNeck]</c> inserted before the stage that needs it, a setting written into <c>[GeoTrain]</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttributedModelCodeFixProvider))]
[Shared]
public sealed class AttributedModelCodeFixProvider : CodeFixProvider
{
    private const string TrainAttribute = "GeoTrain";

    public override ImmutableArray<string> FixableDiagnosticIds => FixableDiagnostics.Ids;

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var request in FixRequest.Of(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(request.Title, ct => ApplyAsync(context.Document, diagnostic.Location.SourceSpan, request, ct), request.EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ApplyAsync(Document document, TextSpan span, FixRequest request, CancellationToken cancellation)
    {
        var text = await document.GetTextAsync(cancellation).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var change = request switch
        {
            // The front end reports inside the string literal exactly where the list is written, so the span is the list.
            FixRequest.Replace replace => new TextChange(span, replace.Text),
            FixRequest.InsertNeck insert => InsertNeck(text, node, insert),
            FixRequest.SetTrainSetting set => SetTrainSetting(text, node, set),
            _ => (TextChange?)null,
        };

        return change is { } c ? document.WithText(text.WithChanges(c)) : document;
    }

    /// <summary><c>[GeoNeck("name")]</c> on its own line before the attribute list of the stage the diagnostic is on.</summary>
    private static TextChange? InsertNeck(SourceText text, SyntaxNode node, FixRequest.InsertNeck insert)
    {
        if (node.FirstAncestorOrSelf<AttributeListSyntax>() is not { } list)
        {
            return null;
        }

        string arguments = insert.Arguments.Length == 0 ? string.Empty : ", " + Literal(insert.Arguments);
        var line = text.Lines.GetLineFromPosition(list.SpanStart);
        string indent = text.ToString(TextSpan.FromBounds(line.Start, list.SpanStart));
        return new TextChange(new TextSpan(line.Start, 0), $"{indent}[GeoNeck({Literal(insert.Neck)}{arguments})]{Newline(text, line)}");
    }

    /// <summary>The setting written into the class's <c>[GeoTrain("…")]</c> string, or a new <c>[GeoTrain]</c> after its attributes.</summary>
    private static TextChange? SetTrainSetting(SourceText text, SyntaxNode node, FixRequest.SetTrainSetting set)
    {
        if (node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
        {
            return null;
        }

        var train = declaration.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(IsTrainAttribute);
        if (train?.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: var arguments } literal
            && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return new TextChange(literal.Span, Literal(SourceEdits.SetArgument(arguments, set.Name, set.Value)));
        }

        if (declaration.AttributeLists.LastOrDefault() is not { } last)
        {
            return null;
        }

        var line = text.Lines.GetLineFromPosition(last.SpanStart);
        string indent = text.ToString(TextSpan.FromBounds(line.Start, last.SpanStart));
        return new TextChange(new TextSpan(last.Span.End, 0), $"{Newline(text, line)}{indent}[{TrainAttribute}({Literal(set.Name + " = " + set.Value)})]");
    }

    private static bool IsTrainAttribute(AttributeSyntax attribute)
    {
        string name = attribute.Name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : attribute.Name.ToString();
        return name is TrainAttribute or TrainAttribute + "Attribute";
    }

    private static string Literal(string value) => SyntaxFactory.Literal(value).Text;

    private static string Newline(SourceText text, TextLine line) =>
        line.EndIncludingLineBreak > line.End ? text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak)) : "\n";
}
