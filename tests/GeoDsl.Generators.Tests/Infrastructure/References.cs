using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>What an in-memory compilation of a GeoDsl project references, and how strictly it compiles.</summary>
internal static class References
{
    /// <summary>
    /// .NET 10's reference assemblies plus the real runtime: GeoDsl.Runtime, the front end it exposes
    /// (GeoDsl.Composition) and TorchSharp, exactly the builds in this test's output folder.
    /// </summary>
    public static ImmutableArray<MetadataReference> All { get; } = Net100.References.All
        .Concat(new[]
        {
            typeof(GeoDsl.Runtime.Composition.GeoModel).Assembly,
            typeof(GeoDsl.Composition.GeoModelCompiler).Assembly,
            typeof(TorchSharp.torch).Assembly,
        }.Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location)))
        .ToImmutableArray();

    /// <summary>The latest C# this compiler knows, with XML documentation comments checked as a build with docs would.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>
    /// The repository's build settings: nullable on, every warning wave, warnings as errors. CS1591 (a public member
    /// without an XML comment) stays off as in Directory.Build.props, and CS1701/CS1702 (assembly version
    /// unification) as the .NET SDK always does.
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Error,
            warningLevel: 9999)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1591"] = ReportDiagnostic.Suppress,
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });
}
