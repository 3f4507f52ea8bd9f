using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Basic.Reference.Assemblies;
using GeoDsl.Analyzers.Tests.Infrastructure;
using GeoDsl.Cli.Commands;
using GeoDsl.Composition.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Analyzers.Tests.Corpus;

/// <summary>
/// The broken-file corpus (<c>tests/corpus</c>, see its README) and the reference models (<c>models/</c>): the analyzer
/// and <c>geodsl check</c> each give exactly the diagnostics a file's <c>// expect:</c> header lists, at the listed
/// places, so they also agree with each other.
/// </summary>
public sealed partial class CorpusTests
{
    private static string CorpusFolder => Path.Combine(TestHelper.RepositoryRoot, "tests", "corpus");

    public static TheoryData<string> Files()
    {
        var files = Directory.GetFiles(CorpusFolder, "*.geomodel")
            .Concat(Directory.GetFiles(Path.Combine(TestHelper.RepositoryRoot, "models"), "*.geomodel", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(TestHelper.RepositoryRoot, f))
            .OrderBy(f => f, StringComparer.Ordinal);
        return new TheoryData<string>(files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task TheAnalyzerReportsExactlyTheExpectedDiagnostics(string file)
    {
        string path = Path.Combine(TestHelper.RepositoryRoot, file);

        Assert.Equal(Expected(path), await AnalyzerDiagnosticsAsync(path));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void GeodslCheckReportsExactlyTheExpectedDiagnostics(string file)
    {
        string path = Path.Combine(TestHelper.RepositoryRoot, file);

        Assert.Equal(Expected(path), CheckDiagnostics(path));
    }

    [Fact]
    public void EveryDiagnosticOfTheCatalogHasACorpusFileOrAReason()
    {
        var covered = Directory.GetFiles(CorpusFolder, "*.geomodel").SelectMany(Expected).Select(e => e.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        string readme = File.ReadAllText(Path.Combine(CorpusFolder, "README.md"));
        var explained = ReasonRow().Matches(readme).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);

        var missing = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !covered.Contains(id) && !explained.Contains(id)).ToList();

        Assert.True(missing.Count == 0, "No corpus file reports, and tests/corpus/README.md gives no reason for: " + string.Join(", ", missing));
    }

    /// <summary>"GEO0012 5:14-5:20" per <c>// expect:</c> line, in file order.</summary>
    private static IReadOnlyList<string> Expected(string path) => File.ReadLines(path)
        .Select(line => ExpectLine().Match(line))
        .Where(m => m.Success)
        .Select(m => m.Groups["diagnostic"].Value)
        .ToList();

    private static async Task<IReadOnlyList<string>> AnalyzerDiagnosticsAsync(string path)
    {
        var compilation = CSharpCompilation.Create("Corpus", new[] { CSharpSyntaxTree.ParseText("internal static class Empty { }") }, Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new FileText(path)));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new GeoModelFileAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return Format(d.Id, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1);
            })
            .ToList();
    }

    private static IReadOnlyList<string> CheckDiagnostics(string path)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        GeoDslCommandLine.Run(new[] { "check", path, "--json" }, output, error);
        Assert.True(error.ToString().Length == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        return json.RootElement.GetProperty("diagnostics").EnumerateArray()
            .Select(d => Format(d.GetProperty("id").GetString()!, d.GetProperty("line").GetInt32(), d.GetProperty("column").GetInt32(),
                d.GetProperty("endLine").GetInt32(), d.GetProperty("endColumn").GetInt32()))
            .ToList();
    }

    private static string Format(string id, int line, int column, int endLine, int endColumn) => $"{id} {line}:{column}-{endLine}:{endColumn}";

    [GeneratedRegex(@"^//\s*expect:\s*(?<diagnostic>GEO\d{4} \d+:\d+-\d+:\d+)\s*$")]
    private static partial Regex ExpectLine();

    [GeneratedRegex(@"^\| (?<id>GEO\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex ReasonRow();

    /// <summary>A file on disk as an AdditionalFile, as MSBuild passes <c>*.geomodel</c> to the analyzer.</summary>
    private sealed class FileText : AdditionalText
    {
        public FileText(string path) => Path = path;

        public override string Path { get; }

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(Path));
    }
}
