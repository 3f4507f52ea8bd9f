using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Syntax;
using GeoDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using SourceText = GeoDsl.Composition.Text.SourceText;
using TextSpan = GeoDsl.Composition.Text.TextSpan;

namespace GeoDsl.Analyzers;

/// <summary>
/// Every <c>.geomodel</c> file of a project, compiled once per compilation: each file's own diagnostics, and the
/// models that repeat a class another file (or a <c>[GeoModel]</c> class) already declares. The generator generates
/// only the first declaration of a class (<see cref="HintClaims"/>); this reports the others as GEO0021.
/// </summary>
internal sealed class ProjectModels
{
    private readonly Dictionary<string, FileAnalysis> _files;
    private readonly Dictionary<string, List<GeoDiagnostic>> _duplicates;

    private ProjectModels(Dictionary<string, FileAnalysis> files, Dictionary<string, List<GeoDiagnostic>> duplicates)
    {
        _files = files;
        _duplicates = duplicates;
    }

    public static bool IsGeoModel(AdditionalText file) => file.Path.EndsWith(".geomodel", System.StringComparison.OrdinalIgnoreCase);

    public static ProjectModels Compile(ImmutableArray<AdditionalText> additionalFiles, Compilation compilation, string? rootNamespace, Composition.Options.CompileOptions options, CancellationToken cancellation)
    {
        var files = new Dictionary<string, FileAnalysis>(System.StringComparer.Ordinal);
        var declarations = new List<Declaration>();
        foreach (var file in additionalFiles.Where(IsGeoModel))
        {
            if (files.ContainsKey(file.Path) || file.GetText(cancellation)?.ToString() is not { } text)
            {
                continue;
            }

            var analysis = GeoModelCompiler.Compile(file.Path, text, options: options);
            files[file.Path] = analysis;
            declarations.AddRange(Declarations(file.Path, text, analysis, rootNamespace));
        }

        var duplicates = new Dictionary<string, List<GeoDiagnostic>>(System.StringComparer.Ordinal);
        foreach (var group in declarations.GroupBy(d => d.Claim.HintName, System.StringComparer.Ordinal))
        {
            var first = HintClaims.Order(group.Select(d => d.Claim)).First();
            string? firstLocation = AttributedClass(compilation, group.First()) ?? group.Single(d => d.Claim == first).Position;
            foreach (var declaration in group.Where(d => d.Claim != first || firstLocation != d.Position))
            {
                if (!duplicates.TryGetValue(declaration.Claim.SourcePath, out var list))
                {
                    duplicates[declaration.Claim.SourcePath] = list = new List<GeoDiagnostic>();
                }

                list.Add(new GeoDiagnostic(DiagnosticDescriptors.DuplicateModel, declaration.Location, EquatableArray.Create(declaration.Name, firstLocation)));
            }
        }

        return new ProjectModels(files, duplicates);
    }

    /// <summary>The file's own diagnostics and its models that another declaration of the same class shadows.</summary>
    public IEnumerable<GeoDiagnostic> Diagnostics(string path) =>
        (_files.TryGetValue(path, out var file) ? file.Diagnostics : Enumerable.Empty<GeoDiagnostic>())
            .Concat(_duplicates.TryGetValue(path, out var duplicates) ? duplicates : Enumerable.Empty<GeoDiagnostic>());

    /// <summary>Where a <c>[GeoModel]</c> class of the same full name is declared, when there is one.</summary>
    private static string? AttributedClass(Compilation compilation, Declaration declaration)
    {
        string metadataName = declaration.Namespace is null ? declaration.Name : declaration.Namespace + "." + declaration.Name;
        if (compilation.GetTypeByMetadataName(metadataName) is not { } type
            || !type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Generators.Parsing.AttributedModelReader.GeoModelAttribute)
            || type.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
        {
            return null;
        }

        var span = location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
    }

    /// <summary>The valid models of a file, with where their names are written.</summary>
    private static IEnumerable<Declaration> Declarations(string path, string text, FileAnalysis analysis, string? rootNamespace)
    {
        if (analysis.Models.IsEmpty)
        {
            yield break;
        }

        var source = new SourceText(text);
        var syntax = Parser.ParseFile(source, new DiagnosticSink(path, source));
        var valid = new HashSet<string>(analysis.Models.Select(m => m.Spec.Name), System.StringComparer.Ordinal);
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var model in syntax.Models.Where(m => !m.Name.IsMissing && valid.Contains(m.Name.Text) && seen.Add(m.Name.Text)))
        {
            var spec = analysis.Models.First(m => m.Spec.Name == model.Name.Text).Spec;
            string? ns = spec.Namespace ?? (string.IsNullOrWhiteSpace(rootNamespace) ? null : rootNamespace);
            var location = SourceLocation.In(path, source, model.Name.Span);
            var claim = new HintClaim((ns is null ? string.Empty : ns + ".") + spec.Name + ".g.cs", IsAttributed: false, path);
            yield return new Declaration(claim, ns, spec.Name, location, location.ToString());
        }
    }

    private sealed record Declaration(HintClaim Claim, string? Namespace, string Name, SourceLocation Location, string Position);
}
