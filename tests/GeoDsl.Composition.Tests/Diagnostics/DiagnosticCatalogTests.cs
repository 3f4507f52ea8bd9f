using System.Globalization;
using System.Text.RegularExpressions;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests.Diagnostics;

/// <summary>The diagnostics catalog: well-formed unique IDs and messages, and an input that produces each front-end diagnostic.</summary>
public sealed class DiagnosticCatalogTests
{
    /// <summary>For each syntax and name diagnostic, a small input that produces it. A new GEO00xx needs a row here.</summary>
    public static readonly TheoryData<string, string> Examples = new()
    {
        { "GEO0001", Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny junk") },
        { "GEO0002", Diagnosed.ValidWith("num_classes = 2", "num_classes = \"2") },
        { "GEO0003", Diagnosed.Valid + "\n/* unfinished" },
        { "GEO0004", Diagnosed.ValidWith("num_classes = 2", "num_classes = #2") },
        { "GEO0005", Diagnosed.ValidWith("num_classes = 2", "num_classes = 2x") },
        { "GEO0006", Diagnosed.ValidWith("num_classes = 2", "num_classes =") },
        { "GEO0007", Diagnosed.Valid.TrimEnd('}') },
        { "GEO0008", Diagnosed.ValidWith("[0, 1, 2, 3]", "[0, 1, 2, 3") },
        { "GEO0009", Diagnosed.ValidWith("indices = [0, 1, 2, 3]", "indices = " + new string('[', 40) + "0" + new string(']', 40)) },
        { "GEO0010", Diagnosed.ValidWith(": segmentation", ": segmentaton") },
        { "GEO0011", Diagnosed.ValidWith("prithvi_eo_tiny", "prithvi_eo_v2_30") },
        { "GEO0012", Diagnosed.ValidWith("num_classes = 2", "num_classes = 2, classes = 2") },
        { "GEO0013", Diagnosed.ValidWith("num_classes = 2", "num_classes = two") },
        { "GEO0014", Diagnosed.ValidWith("num_classes = 2", "num_classes = 1") },
        { "GEO0015", Diagnosed.ValidWith("num_classes = 2", "num_classes = 2, num_classes = 3") },
        { "GEO0016", Diagnosed.ValidWith("    backbone prithvi_eo_tiny\n", string.Empty) },
        { "GEO0017", Diagnosed.ValidPlus("trainer { }") },
        { "GEO0018", Diagnosed.ValidWith("[BLUE,", "[BLEU,") },
        { "GEO0019", Diagnosed.ValidWith("SWIR_2]", "SWIR_2, RED]") },
        { "GEO0020", Diagnosed.ValidWith("head segmentation { num_classes = 2 }", "head segmentation") },
        { "GEO0021", Diagnosed.Valid + "\n" + Diagnosed.Valid },
        { "GEO0022", Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone") },
        { "GEO0023", Diagnosed.ValidPlus("backbone prithvi_eo_tiny") },
        { "GEO0025", Diagnosed.ValidWith("model M :", "model Input :") },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void EachExampleProducesItsDiagnosticAndNoOther(string id, string text)
    {
        var file = Diagnosed.Compile(text);

        Assert.Equal(new[] { id }, file.Diagnostics.Select(d => d.Id));
    }

    /// <summary>GEO00xx diagnostics that no .geomodel text can produce, and who reports them.</summary>
    private static readonly Dictionary<string, string> NotFromText = new()
    {
        ["GEO0024"] = "the analyzer, for a [GeoModel] class the generator cannot extend",
    };

    [Fact]
    public void EveryFrontEndDiagnosticHasAnExample()
    {
        var frontEnd = DiagnosticDescriptors.All.Where(d => d.Id.StartsWith("GEO00", StringComparison.Ordinal) && !NotFromText.ContainsKey(d.Id)).Select(d => d.Id);
        var covered = Examples.Select(row => (string)row[0]);

        Assert.Equal(frontEnd.OrderBy(i => i, StringComparer.Ordinal), covered.OrderBy(i => i, StringComparer.Ordinal));
    }

    [Fact]
    public void IdsAreUniqueAndWellFormed()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches(new Regex("^GEO[0-9]{4}$"), id));
    }

    [Fact]
    public void EveryMessageFormatsWithItsPlaceholders()
    {
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            int count = Regex.Matches(d.MessageFormat, @"(?<!\{)\{(\d+)\}").Cast<Match>().Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
            string message = string.Format(CultureInfo.InvariantCulture, d.MessageFormat, Enumerable.Range(0, count).Select(i => (object)("<" + i + ">")).ToArray());
            Assert.All(Enumerable.Range(0, count), i => Assert.Contains("<" + i + ">", message, StringComparison.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
        });
    }

    [Fact]
    public void SyntaxDiagnosticsAreErrorsInTheSyntaxCategory()
    {
        var syntax = DiagnosticDescriptors.All.Where(d => string.CompareOrdinal(d.Id, "GEO0010") < 0).ToList();

        Assert.Equal(9, syntax.Count);
        Assert.All(syntax, d => Assert.Equal((DiagnosticSeverity.Error, "GeoDsl.Syntax"), (d.Severity, d.Category)));
    }
}
