using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Attributes;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Generators.Emit;
using GeoDsl.Generators.Model;
using GeoDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GeoDsl.Generators;

/// <summary>
/// Generates a typed TorchSharp model class for every valid model in the project's <c>.geomodel</c> files and for
/// every <c>[GeoModel]</c> partial class. This file only wires the pipeline: parse → spec → emit. Diagnostics come
/// from GeoDsl.Analyzers; a model with errors simply gets no class.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GeoModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? ns) ? ns : null)
            .WithTrackingName(TrackingNames.RootNamespace);

        var files = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".geomodel", System.StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellation) => (file.Path, Text: file.GetText(cancellation)?.ToString() ?? string.Empty))
            .WithTrackingName(TrackingNames.GeoModelFiles);

        // The project's budget settings (GeoDslTargetGpu, GeoDslGpuMemoryGiB, …): a value, so files recompile only when they change.
        var budget = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, cancellation) => BuildProperties.Read(name => provider.GlobalOptions.TryGetValue("build_property." + name, out string? value) ? value : null, out _));

        // Custom components ([GeoCustomBackbone] …): the project's own through the attribute stream, referenced
        // assemblies' from their metadata; both end as values in the options, so models recompile only when a declaration changes.
        var customComponents = CustomComponentStreams.Declarations(context);
        var options = budget
            .Combine(customComponents)
            .Select(static (pair, _) => pair.Right.IsEmpty ? pair.Left : pair.Left with { CustomComponents = pair.Right })
            .WithTrackingName(TrackingNames.CompileOptions);

        var compiled = files
            .Combine(options)
            .Select(static (pair, _) => GeoModelCompiler.Compile(pair.Left.Path, pair.Left.Text, options: pair.Right))
            .WithTrackingName(TrackingNames.CompiledFiles);

        var fileTargets = compiled
            .Combine(rootNamespace)
            .SelectMany(static (pair, _) => GeoModelFileTargets.From(pair.Left, pair.Right))
            .Combine(options)
            .Select(static (pair, _) => CustomComponentStreams.WithUsedComponents(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.FileTargets);

        var vlmTargets = compiled
            .Combine(rootNamespace)
            .SelectMany(static (pair, _) => GeoModelFileTargets.VlmFrom(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.VlmTargets);

        var attributedDeclarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributedModelReader.GeoModelAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributed, cancellation) => AttributedDeclaration(attributed, cancellation))
            .Where(static declaration => declaration is not null)
            .Combine(options);

        var attributedVlmTargets = attributedDeclarations
            .Select(static (pair, _) => AttributedVlmTarget(pair.Left!, pair.Right))
            .Where(static target => target is not null)
            .Select(static (target, _) => target!)
            .WithTrackingName(TrackingNames.AttributedVlmTargets);

        var attributedTargets = attributedDeclarations
            .Select(static (pair, _) => AttributedTarget(pair.Left!, pair.Right))
            .Where(static target => target is not null)
            .Select(static (target, _) => target!)
            .WithTrackingName(TrackingNames.AttributedTargets);

        // Two declarations of one class (the same model name in two files, or a file model and an attributed class)
        // would add one hint name twice, which fails the whole generator and drops every generated class. Only the
        // first claim on a name is generated; the analyzer reports the others (GEO0021).
        var shadowed = fileTargets.Select(static (target, _) => target.Claim).Collect()
            .Combine(vlmTargets.Select(static (target, _) => target.Claim).Collect())
            .Combine(attributedTargets.Select(static (target, _) => target.Claim).Collect())
            .Combine(attributedVlmTargets.Select(static (target, _) => target.Claim).Collect())
            .Select(static (claims, _) => HintClaims.Shadowed(claims.Left.Left.Left.AddRange(claims.Left.Left.Right).AddRange(claims.Left.Right).AddRange(claims.Right)))
            .WithTrackingName(TrackingNames.ShadowedTargets);

        context.RegisterSourceOutput(fileTargets.Combine(shadowed), static (output, pair) => Emit(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(attributedTargets.Combine(shadowed), static (output, pair) => Emit(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(vlmTargets.Combine(shadowed), static (output, pair) => Emit(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(attributedVlmTargets.Combine(shadowed), static (output, pair) => Emit(output, pair.Left, pair.Right));
    }

    private static void Emit(SourceProductionContext output, VlmGenerationTarget target, EquatableArray<HintClaim> shadowed)
    {
        if (!shadowed.Contains(target.Claim))
        {
            output.AddSource(target.HintName, VlmClassEmitter.Emit(target));
        }
    }

    private static void Emit(SourceProductionContext output, GenerationTarget target, EquatableArray<HintClaim> shadowed)
    {
        if (!shadowed.Contains(target.Claim))
        {
            output.AddSource(target.HintName, ModelClassEmitter.Emit(target));
        }
    }

    /// <summary>An attributed class the generator can extend, as plain values (with its file's text, for diagnostic positions).</summary>
    private static AttributedClass? AttributedDeclaration(GeneratorAttributeSyntaxContext attributed, System.Threading.CancellationToken cancellation)
    {
        // A class the generator cannot extend gets no counterpart; the analyzer reports why (GEO0024).
        if (attributed.TargetSymbol is not INamedTypeSymbol type
            || AttributedModelReader.ShapeProblem(type, (ClassDeclarationSyntax)attributed.TargetNode) is not null
            || AttributedModelReader.Read(type, (ClassDeclarationSyntax)attributed.TargetNode, cancellation) is not { } declaration)
        {
            return null;
        }

        return new AttributedClass(declaration, type.Name, attributed.TargetNode.SyntaxTree.GetText(cancellation).ToString());
    }

    private static GenerationTarget? AttributedTarget(AttributedClass attributed, CompileOptions options)
    {
        var declaration = attributed.Declaration;
        var file = AttributedModel.Compile(declaration, new Composition.Text.SourceText(attributed.FileText), options);
        return file.Models.Count == 1
            ? CustomComponentStreams.WithUsedComponents(
                new GenerationTarget(declaration.Namespace, attributed.ClassName, string.Empty, Path.GetFileName(declaration.FilePath), file.Models[0], IsAttributed: true, declaration.FilePath),
                options)
            : null;
    }

    private static VlmGenerationTarget? AttributedVlmTarget(AttributedClass attributed, CompileOptions options)
    {
        var declaration = attributed.Declaration;
        var file = AttributedModel.Compile(declaration, new Composition.Text.SourceText(attributed.FileText), options);
        return file.VlmModels.Count == 1
            ? new VlmGenerationTarget(declaration.Namespace, attributed.ClassName, Path.GetFileName(declaration.FilePath), file.VlmModels[0], declaration.FilePath, IsAttributed: true)
            : null;
    }

    /// <summary>The attributed declaration, its class name and its file's text: everything compiling it needs, compared by value.</summary>
    private sealed record AttributedClass(AttributedModelDeclaration Declaration, string ClassName, string FileText);
}
