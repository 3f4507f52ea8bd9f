using System.Text.RegularExpressions;
using GeoDsl.Analyzers.Tests.Infrastructure;
using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Analyzers.Tests.Catalog;

/// <summary>
/// Every rule has a page <c>docs/diagnostics/{ID}.md</c> with its title and severity, a wrong and a right example,
/// and how to fix it. The examples are real: the wrong one reports the rule, the right one compiles without errors.
/// </summary>
public sealed class DiagnosticDocumentationTests
{
    /// <summary>Rules the current catalog cannot trigger from a model text; their pages show illustrative examples.</summary>
    private static readonly HashSet<string> Unreachable = new(StringComparer.Ordinal)
    {
        "GEO0024", // a C# declaration rule; its examples are C# (AttributedModelAnalyzerTests covers it)
        "GEO1040", "GEO1041", "GEO1042", "GEO1043", "GEO1044", // C# declaration rules of custom components (CustomComponentAnalyzerTests)
        "GEO1011", // every catalog backbone's width is a multiple of 16, so divisible by 4
        "GEO2003", // a project setting (MSBuild property); its examples are MSBuild XML
        "GEO9001", // an internal failure of the front end
    };

    private static readonly Regex GeoModelBlock = new(@"```geomodel\n(?<code>.*?)```", RegexOptions.Singleline);

    private static string Folder => Path.Combine(TestHelper.RepositoryRoot, "docs", "diagnostics");

    public static TheoryData<string> Ids() => new(DiagnosticDescriptors.All.Select(d => d.Id));

    private static string Page(string id)
    {
        string path = Path.Combine(Folder, id + ".md");
        Assert.True(File.Exists(path), $"docs/diagnostics/{id}.md is missing: every diagnostic has a page.");
        return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The text of a <c>## heading</c> section, up to the next heading of the same level.</summary>
    private static string Section(string page, string heading)
    {
        var match = Regex.Match(page, $@"^## {Regex.Escape(heading)}\s*\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"The page has no '## {heading}' section.");
        return match.Groups["body"].Value;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryDiagnosticHasAPageWithItsTitleAndSeverity(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        string page = Page(id);

        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"**Severity:** {descriptor.Severity}", page, StringComparison.Ordinal);
        Assert.Contains($"**Category:** {descriptor.Category}", page, StringComparison.Ordinal);
        foreach (string heading in new[] { "What it means", "Wrong", "Right", "How to fix" })
        {
            Assert.False(string.IsNullOrWhiteSpace(Section(page, heading)), $"'## {heading}' of {id} is empty.");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TheWrongExampleReportsTheRuleAndTheRightOneCompiles(string id)
    {
        if (Unreachable.Contains(id))
        {
            return;
        }

        string page = Page(id);
        string wrong = Example(Section(page, "Wrong"), id, "Wrong");
        string right = Example(Section(page, "Right"), id, "Right");

        var wrongFile = GeoModelCompiler.Compile("wrong.geomodel", wrong);
        Assert.True(wrongFile.Diagnostics.Any(d => d.Id == id), $"The wrong example of {id} does not report it; it reports:\n{string.Join("\n", wrongFile.Diagnostics)}");

        var rightFile = GeoModelCompiler.Compile("right.geomodel", right);
        Assert.True(rightFile.Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error && d.Id != id),
            $"The right example of {id} still has diagnostics:\n{string.Join("\n", rightFile.Diagnostics)}");
        Assert.True(rightFile.Models.Count + rightFile.VlmModels.Count > 0, $"The right example of {id} declares no valid model");
    }

    [Fact]
    public void EveryPageBelongsToADiagnostic()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.GetFiles(Folder, "GEO*.md").Select(Path.GetFileNameWithoutExtension).Where(n => !ids.Contains(n!)).ToList();

        Assert.True(orphans.Count == 0, "Pages for IDs the catalog does not have: " + string.Join(", ", orphans));
    }

    [Fact]
    public void TheIndexListsEveryDiagnostic()
    {
        string index = File.ReadAllText(Path.Combine(Folder, "README.md"));

        Assert.All(DiagnosticDescriptors.All, d => Assert.Contains($"[{d.Id}]({d.Id}.md)", index, StringComparison.Ordinal));
    }

    private static string Example(string section, string id, string heading)
    {
        var blocks = GeoModelBlock.Matches(section);
        Assert.True(blocks.Count == 1, $"'## {heading}' of {id} needs exactly one ```geomodel block; it has {blocks.Count}.");
        return blocks[0].Groups["code"].Value;
    }
}
