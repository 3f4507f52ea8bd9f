using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>
/// The generator under test, one entry point per mode: <c>Generate</c> runs it once, <see cref="Snapshot"/>
/// runs it and compares the output with the baseline files, <see cref="Track"/> keeps a driver with step tracking
/// for the caching tests.
/// </summary>
internal static class TestHelper
{
    /// <summary>The project's root namespace in these tests, as MSBuild would pass it.</summary>
    public const string RootNamespace = "Snapshots";

    /// <summary>Runs the generator on <c>.geomodel</c> files and C# sources, in a project with the real runtime referenced.</summary>
    public static GeneratorRun Generate(IEnumerable<GeoModelFile> models, [StringSyntax("C#")] params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver(models, trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return ToRun(compilation, output, diagnostics, driver.GetRunResult());
    }

    public static GeneratorRun Generate(GeoModelFile model, [StringSyntax("C#")] params string[] sources) => Generate(new[] { model }, sources);

    public static GeneratorRun Generate([StringSyntax("C#")] params string[] sources) => Generate(Array.Empty<GeoModelFile>(), sources);

    /// <summary>Runs the generator and checks its sources against <c>Baselines/{test}/</c> (see <see cref="Baselines"/>).</summary>
    public static GeneratorRun Snapshot(string test, IEnumerable<GeoModelFile> models, [StringSyntax("C#")] params string[] sources)
    {
        var run = Generate(models, sources);
        run.AssertGeneratorRanQuietly();
        Baselines.Verify(test, run.GeneratedSources);
        return run;
    }

    /// <summary>A driver that records every step's run reason, already run once on these inputs.</summary>
    public static TrackedDriver Track(IEnumerable<GeoModelFile> models, [StringSyntax("C#")] params string[] sources)
    {
        var files = models.ToList();
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver(files, trackSteps: true);
        return new TrackedDriver(driver, compilation, files.Select(f => f.AsAdditionalText()).ToList()).Run();
    }

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources) => CSharpCompilation.Create(
        "GeoDsl.UserProject",
        sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, References.ParseOptions, path: $"User{i}.cs")),
        References.All,
        References.CompilationOptions);

    public static GeneratorDriver CreateDriver(IEnumerable<GeoModelFile> models, bool trackSteps) => CSharpGeneratorDriver.Create(
        new[] { new GeoModelGenerator().AsSourceGenerator() },
        models.Select(m => (AdditionalText)m.AsAdditionalText()),
        References.ParseOptions,
        TestOptionsProvider.WithRootNamespace(RootNamespace),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static GeneratorRun ToRun(Compilation input, Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) => new(
        input,
        output,
        result.Results.SelectMany(r => r.GeneratedSources).ToImmutableDictionary(s => s.HintName, s => s.SourceText.ToString()),
        diagnostics,
        result);
}

/// <summary>A <c>.geomodel</c> file for a test: where it lives and what it says.</summary>
internal sealed class GeoModelFile
{
    private InMemoryAdditionalText? _additional;

    public GeoModelFile(string path, string text)
    {
        Path = path;
        Text = text;
    }

    public string Path { get; }

    public string Text { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The same additional-text object every time, as the compiler keeps it between runs.</summary>
    public InMemoryAdditionalText AsAdditionalText() => _additional ??= new InMemoryAdditionalText(Path, Text);

    public static GeoModelFile Inline(string fileName, string text) => new("/project/" + fileName, text);

    public override string ToString() => FileName;
}
