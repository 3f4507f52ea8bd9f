using System.Text.RegularExpressions;
using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Models.Tests;

/// <summary>
/// TerraTorch example configurations that are wrong (terratorch-facts.md §6), kept in models/terratorch-wrong: each
/// must not compile, and must fail with exactly the diagnostics its "// expect: ID line:col-line:col" lines name.
/// </summary>
public sealed partial class TerraTorchExampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "models", "terratorch-wrong");

    public static TheoryData<string> WrongExamples => new(Directory.GetFiles(Folder, "*.geomodel").Select(Path.GetFileName).OfType<string>().Order());

    [Fact]
    public void TheWrongExamplesAreThere() => Assert.True(WrongExamples.Count >= 2, "models/terratorch-wrong should hold the wrong TerraTorch examples");

    [Theory]
    [MemberData(nameof(WrongExamples))]
    public void AWrongExampleFailsWithTheDiagnosticsItExpects(string file)
    {
        string text = File.ReadAllText(Path.Combine(Folder, file));
        var expected = ExpectLine().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(expected);

        var analysis = GeoModelCompiler.Compile(file, text);

        Assert.Equal(expected, analysis.Diagnostics.Select(Describe).ToList());
        Assert.Contains(analysis.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void SatlasUperWithoutItsOutIndicesIsStillStoppedByTheTokenNeckOnMaps()
    {
        string text = File.ReadAllText(Path.Combine(Folder, "satlas_sen1floods11_uper.geomodel"))
            .Replace(", out_indices = [1, 3, 5, 7]", string.Empty, StringComparison.Ordinal);

        var error = Assert.Single(GeoModelCompiler.Compile("satlas.geomodel", text).Diagnostics);

        Assert.Equal("GEO1001", error.Id);
        Assert.Contains("reshape_tokens_to_image", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove the token neck", error.Message, StringComparison.Ordinal);
    }

    private static string Describe(GeoDiagnostic d) =>
        $"{d.Id} {d.Location.Start.Line + 1}:{d.Location.Start.Character + 1}-{d.Location.End.Line + 1}:{d.Location.End.Character + 1}";

    [GeneratedRegex(@"^// expect: (\S+ \d+:\d+-\d+:\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ExpectLine();
}
