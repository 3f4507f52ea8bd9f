using System.Collections.Immutable;
using System.Threading;
using Basic.Reference.Assemblies;
using GeoDsl.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GeoDsl.CodeFixes.Tests;

/// <summary>
/// Runs a GeoDsl analyzer and fixer through Microsoft.CodeAnalysis.Testing: the marked diagnostic must be reported,
/// the chosen fix (by its title) must turn the source into the expected one, and the result must report only what
/// <c>remaining</c> lists. No download: reference assemblies come from Basic.Reference.Assemblies.
/// </summary>
internal static class FixVerifier
{
    public const string ModelPath = "/project/model.geomodel";

    public static Task FixClassAsync(string markup, string fixedSource, string fixTitle, params DiagnosticResult[] remaining)
    {
        var test = new Test<AttributedModelAnalyzer, AttributedModelCodeFixProvider>(fixTitle);
        test.TestState.Sources.Add(markup);
        test.FixedState.Sources.Add(fixedSource);
        test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Applies a <see cref="GeoModelFileCodeFixProvider"/> fix to a .geomodel additional document and compares the text.
    /// Microsoft.CodeAnalysis.Testing 1.1.4 cannot: it asks fixers only about diagnostics in C# documents, so a fix
    /// of an additional file is never applied (its "iterative code fix application" leaves the file unchanged). This
    /// runs the same Roslyn pieces by hand: the analyzer through CompilationWithAnalyzers, a CodeFixContext over the
    /// TextDocument, and the action's ApplyChangesOperation on a workspace solution.
    /// </summary>
    /// <param name="markup">The file with the expected diagnostic marked <c>{|GEO1234:…|}</c> (one mark).</param>
    public static async Task FixModelFileAsync(string markup, string fixedText, string fixTitle, params string[] remainingIds)
    {
        var (text, id, span) = Unmark(markup);
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Project", LanguageNames.CSharp)
            .WithMetadataReferences(Net100.References.All)
            .AddDocument("Empty.cs", "internal static class Empty { }").Project;
        var document = project.AddAdditionalDocument("model.geomodel", Microsoft.CodeAnalysis.Text.SourceText.From(text), filePath: ModelPath);
        Assert.True(workspace.TryApplyChanges(document.Project.Solution));
        document = workspace.CurrentSolution.GetProject(project.Id)!.GetAdditionalDocument(document.Id)!;

        var diagnostic = Assert.Single(await AnalyzeAsync(document.Project), d => d.Id == id);
        Assert.Equal(span, diagnostic.Location.SourceSpan);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new GeoModelFileCodeFixProvider().RegisterCodeFixesAsync(context);
        var chosen = Assert.Single(actions, a => a.Title == fixTitle);
        foreach (var operation in await chosen.GetOperationsAsync(CancellationToken.None))
        {
            operation.Apply(workspace, CancellationToken.None);
        }

        var changed = workspace.CurrentSolution.GetProject(project.Id)!.GetAdditionalDocument(document.Id)!;
        Assert.Equal(fixedText.ReplaceLineEndings("\n"), (await changed.GetTextAsync()).ToString().ReplaceLineEndings("\n"));
        var after = await AnalyzeAsync(changed.Project);
        Assert.Equal(remainingIds.OrderBy(i => i, StringComparer.Ordinal), after.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var files = project.AdditionalDocuments.Select(d => (AdditionalText)new DocumentText(d.FilePath!, d.GetTextAsync().Result)).ToImmutableArray();
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new GeoModelFileAnalyzer());
        return await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>The text without its one <c>{|ID:…|}</c> mark, the ID and the marked span.</summary>
    private static (string Text, string Id, Microsoft.CodeAnalysis.Text.TextSpan Span) Unmark(string markup)
    {
        var match = System.Text.RegularExpressions.Regex.Match(markup, @"\{\|(?<id>GEO\d{4}):(?<body>.*?)\|\}", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, "The markup has no {|GEO…:…|} mark.");
        string text = markup.Substring(0, match.Index) + match.Groups["body"].Value + markup.Substring(match.Index + match.Length);
        return (text, match.Groups["id"].Value, new Microsoft.CodeAnalysis.Text.TextSpan(match.Index, match.Groups["body"].Length));
    }

    private sealed class DocumentText : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text;

        public DocumentText(string path, Microsoft.CodeAnalysis.Text.SourceText text)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    public static DiagnosticResult Diagnostic(string id, DiagnosticSeverity severity, int location = 0) => new DiagnosticResult(id, severity).WithLocation(location);

    private sealed class Test<TAnalyzer, TFixer> : CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        public Test(string fixTitle)
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Net100.References.All);
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(GeoModelAttribute).Assembly.Location));
            // A diagnostic can offer several fixes (GEO2001: a smaller batch, checkpointing, bf16, …); the test picks one.
            CodeActionEquivalenceKey = fixTitle;
            NumberOfIncrementalIterations = 1;
            NumberOfFixAllIterations = 1;
        }
    }
}
