using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Threading;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GeoDsl.Analyzers.Tests.Infrastructure;

/// <summary>
/// The analyzers under test, one entry point per input: <c>AnalyzeModelAsync</c> for <c>.geomodel</c> text,
/// <c>AnalyzeClassAsync</c> for C# with <c>[GeoModel]</c> attributes. Both take test markup
/// (<c>{|GEO0011:name|}</c>, <c>{|#0:name|}</c>) and fail on any diagnostic not marked or listed.
/// </summary>
internal static class TestHelper
{
    public const string ModelPath = "/project/model.geomodel";

    /// <summary>Analyzes one <c>.geomodel</c> file (no C# besides an empty class).</summary>
    public static Task AnalyzeModelAsync(string markup, params DiagnosticResult[] expected) =>
        AnalyzeModelAsync(markup, messageCheck: null, expected);

    /// <summary>As above, with <paramref name="messageCheck"/> run on every diagnostic reported.</summary>
    public static Task AnalyzeModelAsync(string markup, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected) =>
        AnalyzeFilesAsync(new[] { (ModelPath, markup) }, messageCheck, expected);

    /// <summary>Analyzes several additional files (by path) in one project.</summary>
    public static Task AnalyzeFilesAsync(IEnumerable<(string Path, string Markup)> files, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected) =>
        AnalyzeFilesAsync(files, "internal static class Empty { }", messageCheck, expected);

    /// <summary>Additional files beside a C# source (for models that meet <c>[GeoModel]</c> classes).</summary>
    public static Task AnalyzeFilesAsync(IEnumerable<(string Path, string Markup)> files, [StringSyntax("C#")] string source, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected)
    {
        var test = new Test<GeoModelFileAnalyzer>(messageCheck);
        test.TestState.Sources.Add(source);
        foreach (var file in files)
        {
            test.TestState.AdditionalFiles.Add(file);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Analyzes C# sources declaring models with attributes (the attributes come from GeoDsl.Runtime).</summary>
    public static Task AnalyzeClassAsync([StringSyntax("C#")] string markup, params DiagnosticResult[] expected) =>
        AnalyzeClassAsync(markup, messageCheck: null, expected);

    public static Task AnalyzeClassAsync([StringSyntax("C#")] string markup, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected)
    {
        var test = new Test<AttributedModelAnalyzer>(messageCheck);
        test.TestState.Sources.Add(markup);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Runs <typeparamref name="TAnalyzer"/> on C# sources (e.g. custom component declarations).</summary>
    public static Task AnalyzeSourceAsync<TAnalyzer>([StringSyntax("C#")] string markup, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new Test<TAnalyzer>(messageCheck);
        test.TestState.Sources.Add(markup);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A diagnostic expected at markup location <c>{|#index:…|}</c>.</summary>
    public static DiagnosticResult Diagnostic(string id, int location = 0) => new DiagnosticResult(id, Severity(id)).WithLocation(location);

    /// <summary>The severity the catalog gives an ID, as Roslyn reports it.</summary>
    public static DiagnosticSeverity Severity(string id) =>
        Composition.Diagnostics.DiagnosticDescriptors.All.Single(d => d.Id == id).Severity switch
        {
            Composition.Diagnostics.DiagnosticSeverity.Error => DiagnosticSeverity.Error,
            Composition.Diagnostics.DiagnosticSeverity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        };

    /// <summary>The repository's root in the source tree (recorded at build time).</summary>
    public static string RepositoryRoot { get; } = typeof(TestHelper).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GeoDsl.RepositoryRoot").Value!;

    /// <summary>
    /// An analyzer test that needs no download: .NET 10's reference assemblies come from Basic.Reference.Assemblies,
    /// and the GeoDsl.Runtime assembly (the attributes) from this test's output folder.
    /// </summary>
    private sealed class Test<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public Test(Action<Diagnostic>? messageCheck)
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Net100.References.All);
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(GeoModelAttribute).Assembly.Location));
            // Custom components derive from TorchSharp modules.
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));
            if (messageCheck is not null)
            {
                DiagnosticVerifier = (diagnostic, _, _) => messageCheck(diagnostic);
            }
        }
    }
}
