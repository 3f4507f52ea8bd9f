using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using GeoDsl.Analyzers;
using GeoDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GeoDsl.Bench.Generator;

/// <summary>
/// A project as the compiler sees it: one small C# file, the runtime's references, and N .geomodel files that are
/// the reference models of models/ renamed (model X → X_V001, X_V002, …), so every file is a distinct valid model.
/// </summary>
public sealed class Workload
{
    private Workload(CSharpCompilation compilation, ImmutableArray<AdditionalText> files, AnalyzerConfigOptionsProvider options)
    {
        Compilation = compilation;
        Files = files;
        Options = options;
    }

    public CSharpCompilation Compilation { get; }

    public ImmutableArray<AdditionalText> Files { get; }

    public AnalyzerConfigOptionsProvider Options { get; }

    public static Workload Create(int fileCount)
    {
        var references = Net100.References.All.Concat(new[]
        {
            typeof(GeoDsl.Runtime.Composition.GeoModel).Assembly,
            typeof(GeoDsl.Composition.GeoModelCompiler).Assembly,
            typeof(TorchSharp.torch).Assembly,
        }.Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location)));
        var program = CSharpSyntaxTree.ParseText("namespace Consumer; public static class Program { public static void Main() { } }",
            new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Consumer", new[] { program }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var models = ReferenceModels();
        var files = Enumerable.Range(1, fileCount).Select(i =>
        {
            var (name, text) = models[(i - 1) % models.Count];
            string suffix = "_V" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            string renamed = Regex.Replace(text, @"(?m)^(\s*model\s+)(\w+)", m => m.Groups[1].Value + m.Groups[2].Value + suffix);
            return (AdditionalText)new BenchText($"/project/models/{Path.GetFileNameWithoutExtension(name)}{suffix}.geomodel", renamed);
        }).ToImmutableArray();

        var options = new BenchOptions(ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", "Consumer"));
        return new Workload(compilation, files, options);
    }

    /// <summary>The valid reference models (models/*.geomodel; the wrong TerraTorch examples in subfolders are left out).</summary>
    private static IReadOnlyList<(string Name, string Text)> ReferenceModels()
    {
        string folder = Path.Combine(RepositoryRoot(), "models");
        return Directory.GetFiles(folder, "*.geomodel").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GeoDsl.sln")))
            {
                return dir.FullName;
            }
        }

        string fromCwd = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(fromCwd, "GeoDsl.sln"))
            ? fromCwd
            : throw new InvalidOperationException("Run from the repository root (GeoDsl.sln not found above " + AppContext.BaseDirectory + ").");
    }

    /// <summary>
    /// A generator driver over the workload. Timed runs do not track steps (the IDE and the build do not either:
    /// tracking records every step's inputs and outputs); <paramref name="trackSteps"/> is for reading run reasons.
    /// </summary>
    public GeneratorDriver CreateDriver(bool trackSteps = false) => CSharpGeneratorDriver.Create(
        new[] { new GeoModelGenerator().AsSourceGenerator() },
        Files,
        (CSharpParseOptions)Compilation.SyntaxTrees[0].Options,
        Options,
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The edit a user makes: one file's model renamed, which changes that model only.</summary>
    public (AdditionalText Old, AdditionalText New) EditOne(int index)
    {
        var old = Files[index];
        string text = old.GetText()!.ToString();
        string edited = Regex.Replace(text, @"(?m)^(\s*model\s+\w+)", m => m.Groups[1].Value + "_Edited", RegexOptions.None, TimeSpan.FromSeconds(1));
        return (old, new BenchText(old.Path, edited));
    }

    /// <summary>An edit that changes no model: a comment appended, so only the file's front end runs again.</summary>
    public (AdditionalText Old, AdditionalText New) CommentOne(int index)
    {
        var old = Files[index];
        return (old, new BenchText(old.Path, old.GetText()!.ToString() + "\n// edited\n"));
    }

    public CompilationWithAnalyzers WithAnalyzers(ImmutableArray<AdditionalText> files) => Compilation.WithAnalyzers(
        ImmutableArray.Create<DiagnosticAnalyzer>(new GeoModelFileAnalyzer(), new AttributedModelAnalyzer()),
        new AnalyzerOptions(files, Options));

    private sealed class BenchText : AdditionalText
    {
        private readonly SourceText _text;

        public BenchText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class BenchOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Values _values;

        public BenchOptions(ImmutableDictionary<string, string> values) => _values = new Values(values);

        public override AnalyzerConfigOptions GlobalOptions => _values;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _values;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _values;

        private sealed class Values : AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> _map;

            public Values(ImmutableDictionary<string, string> map) => _map = map;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _map.TryGetValue(key, out value);
        }
    }
}
