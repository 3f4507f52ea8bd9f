using System.Text.RegularExpressions;
using GeoDsl.Analyzers.Tests.Infrastructure;
using GeoDsl.Composition.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GeoDsl.Analyzers.Tests.Catalog;

/// <summary>
/// Release tracking cannot see descriptors built from the front end's catalog at run time (RS2000–RS2008 are off in
/// the analyzer project), so these tests hold AnalyzerReleases.Shipped.md and the analyzers to the catalog instead.
/// </summary>
public sealed class ReleaseTrackingTests
{
    private static readonly Regex Row = new(@"^(?<id>GEO\d{4})\s*\|\s*(?<category>[^|]+?)\s*\|\s*(?<severity>[^|]+?)\s*\|", RegexOptions.Multiline);

    private static string AnalyzerFile(string name) => File.ReadAllText(Path.Combine(TestHelper.RepositoryRoot, "src", "GeoDsl.Analyzers", name));

    private static IEnumerable<string> Rows(string markdown) =>
        Row.Matches(markdown).Select(m => $"{m.Groups["id"].Value} | {m.Groups["category"].Value} | {m.Groups["severity"].Value}");

    private static IEnumerable<string> Catalog() =>
        DiagnosticDescriptors.All.Select(d => $"{d.Id} | {d.Category} | {d.Severity}");

    public static TheoryData<string> Analyzers() => new(nameof(GeoModelFileAnalyzer), nameof(AttributedModelAnalyzer));

    [Fact]
    public void TheShippedTableListsExactlyTheCatalogsIdsCategoriesAndSeverities()
    {
        var shipped = Rows(AnalyzerFile("AnalyzerReleases.Shipped.md")).ToList();

        Assert.Equal(shipped.Count, shipped.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Catalog().OrderBy(r => r, StringComparer.Ordinal), shipped.OrderBy(r => r, StringComparer.Ordinal));
    }

    [Fact]
    public void NoRuleIsLeftInTheUnshippedTable() => Assert.Empty(Rows(AnalyzerFile("AnalyzerReleases.Unshipped.md")));

    [Fact]
    public void TheRowParserReadsTheTableFormat()
    {
        var rows = Rows("Rule ID | Category | Severity | Notes\n--------|---|---|---\nGEO0001 | GeoDsl.Syntax | Error | Unexpected token\nGEO2001 | GeoDsl.Memory|Warning|x\n").ToList();
        Assert.Equal(new[] { "GEO0001 | GeoDsl.Syntax | Error", "GEO2001 | GeoDsl.Memory | Warning" }, rows);
    }

    [Theory]
    [MemberData(nameof(Analyzers))]
    public void EachAnalyzerSupportsEveryCatalogRuleAsTheCatalogDescribesIt(string analyzer)
    {
        DiagnosticAnalyzer instance = analyzer == nameof(GeoModelFileAnalyzer) ? new GeoModelFileAnalyzer() : new AttributedModelAnalyzer();
        var supported = instance.SupportedDiagnostics.ToDictionary(d => d.Id);

        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal), supported.Keys.OrderBy(i => i, StringComparer.Ordinal));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            var roslyn = supported[descriptor.Id];
            Assert.Equal(descriptor.Title, roslyn.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(descriptor.Category, roslyn.Category);
            Assert.Equal(TestHelper.Severity(descriptor.Id), roslyn.DefaultSeverity);
            Assert.True(roslyn.IsEnabledByDefault);
            Assert.EndsWith($"docs/diagnostics/{descriptor.Id}.md", roslyn.HelpLinkUri, StringComparison.Ordinal);
        }
    }
}
