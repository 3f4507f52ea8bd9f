using System.Collections.Immutable;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Generators.Model;
using GeoDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators;

/// <summary>The generator's inputs for custom components, and which of them a model uses.</summary>
internal static class CustomComponentStreams
{
    /// <summary>Every declaration the compilation can see, as one equatable value.</summary>
    public static IncrementalValueProvider<EquatableArray<CustomComponentDeclaration>> Declarations(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<EquatableArray<CustomComponentDeclaration>>>? own = null;
        foreach (string attribute in CustomComponentReader.AttributeMetadataNames)
        {
            var declared = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    static (attributed, _) => attributed.TargetSymbol is INamedTypeSymbol type
                        ? attributed.Attributes.Select(a => CustomComponentReader.Read(type, a)).Where(d => d is not null).Select(d => d!).ToEquatableArray()
                        : EquatableArray<CustomComponentDeclaration>.Empty)
                .Collect();
            own = own is null ? declared : own.Value.Combine(declared).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
        }

        // Only the fact is kept from the compilation: the referenced assemblies' declarations, compared by value.
        var referenced = context.CompilationProvider
            .Select(static (compilation, cancellation) => CustomComponentReader.FromReferences(compilation, cancellation));

        return own!.Value
            .Combine(referenced)
            .Select(static (pair, _) => pair.Left.SelectMany(d => d).Concat(pair.Right).ToEquatableArray())
            .WithTrackingName(TrackingNames.CustomComponents);
    }

    /// <summary>The target with the declarations of the custom components its model names.</summary>
    public static GenerationTarget WithUsedComponents(GenerationTarget target, CompileOptions options)
    {
        if (options.CustomComponents.IsEmpty)
        {
            return target;
        }

        var spec = target.Analysis.Spec;
        var used = spec.Necks.Select(n => (ComponentKind.Neck, n.Name))
            .Append((ComponentKind.Backbone, spec.Backbone.Name))
            .Append((ComponentKind.Decoder, spec.Decoder.Name))
            .Concat(spec.Head is { } head ? new[] { (ComponentKind.Head, head.Name) } : Enumerable.Empty<(ComponentKind, string)>())
            .Concat(spec.AuxiliaryHeads.SelectMany(a => new[] { (ComponentKind.Decoder, a.Decoder.Name), (ComponentKind.Head, a.Head.Name) }))
            .ToList();
        var declarations = options.CustomComponents
            .Where(d => used.Contains((d.Kind, d.Name)) && ComponentCatalog.Default.Find(d.Kind, d.Name) is null)
            .GroupBy(d => (d.Kind, d.Name))
            .Select(g => g.First())
            .ToEquatableArray();
        return target with { CustomComponents = declarations };
    }
}
