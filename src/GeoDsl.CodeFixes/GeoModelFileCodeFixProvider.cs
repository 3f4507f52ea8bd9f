using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using GeoDsl.Composition.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace GeoDsl.CodeFixes;

/// <summary>
/// Fixes in <c>.geomodel</c> additional files (Roslyn 4.5+ runs fixers on additional documents that declare
/// <see cref="ExportCodeFixProviderAttribute.DocumentKinds"/>; <see cref="CodeFixContext.TextDocument"/> is the file).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GeoModelFileCodeFixProvider),
    DocumentKinds = new[] { nameof(TextDocumentKind.AdditionalDocument) }, DocumentExtensions = new[] { ".geomodel" })]
[Shared]
public sealed class GeoModelFileCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => FixableDiagnostics.Ids;

    // Fix All over additional documents needs a custom provider; each fix here is applied one at a time.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.TextDocument;
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var request in FixRequest.Of(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(request.Title, ct => ApplyAsync(document, diagnostic.Location.SourceSpan, request, ct), request.EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> ApplyAsync(TextDocument document, TextSpan span, FixRequest request, CancellationToken cancellation)
    {
        var text = await document.GetTextAsync(cancellation).ConfigureAwait(false);
        string content = text.ToString();
        var edit = request switch
        {
            FixRequest.Replace replace => new TextEdit(new Composition.Text.TextSpan(span.Start, span.Length), replace.Text),
            FixRequest.InsertNeck insert => SourceEdits.InsertNeckBefore(content, span.Start, insert.Neck, insert.Arguments),
            FixRequest.SetTrainSetting set => SourceEdits.SetTrainSetting(content, span.Start, set.Name, set.Value),
            _ => null,
        };

        if (edit is null)
        {
            return document.Project.Solution;
        }

        var changed = text.WithChanges(new TextChange(new TextSpan(edit.Span.Start, edit.Span.Length), edit.NewText));
        return document.Project.Solution.WithAdditionalDocumentText(document.Id, changed);
    }
}
