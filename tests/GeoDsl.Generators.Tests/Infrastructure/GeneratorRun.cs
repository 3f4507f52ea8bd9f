using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>One run of the generator: what it added, what it reported, and the compilation with its output.</summary>
internal sealed record GeneratorRun(
    Compilation Input,
    Compilation Output,
    ImmutableDictionary<string, string> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    GeneratorDriverRunResult Result)
{
    /// <summary>Every compiler diagnostic of the output compilation a user would see (hidden ones left out), emit included.</summary>
    public ImmutableArray<Diagnostic> VisibleDiagnostics()
    {
        using var stream = new MemoryStream();
        var emitted = Output.Emit(stream);
        return Output.GetDiagnostics()
            .Concat(emitted.Diagnostics)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .Distinct()
            .ToImmutableArray();
    }

    /// <summary>Fails with every diagnostic, located in its file, when the output compilation is not perfectly clean.</summary>
    public void AssertCompilesCleanly()
    {
        var diagnostics = VisibleDiagnostics();
        Assert.True(diagnostics.IsEmpty, "The compilation with the generated code has diagnostics:\n" + Describe(diagnostics));
    }

    /// <summary>The generator itself must neither throw nor report.</summary>
    public void AssertGeneratorRanQuietly()
    {
        var exceptions = Result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!.ToString()).ToList();
        Assert.True(exceptions.Count == 0, "The generator threw:\n" + string.Join("\n", exceptions));
        Assert.True(GeneratorDiagnostics.IsEmpty, "The generator reported:\n" + Describe(GeneratorDiagnostics));
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d =>
    {
        string line = d.ToString();
        if (d.Location.SourceTree is { } tree && d.Location.IsInSource)
        {
            int row = d.Location.GetLineSpan().StartLinePosition.Line;
            line += "\n    > " + tree.GetText().Lines[row].ToString().Trim();
        }

        return line;
    }));
}
