using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Composition.Helpers;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators.Parsing;

/// <summary>
/// Reads custom component declarations (<c>[GeoCustomBackbone]</c> and friends) from the compilation: classes of the
/// project itself and of referenced assemblies that reference GeoDsl.Runtime (through their metadata attributes). The
/// generator and the analyzers both use it, and both turn what it reads into catalog entries through the front end.
/// </summary>
public static class CustomComponentReader
{
    /// <summary>The attributes' metadata names, for <c>ForAttributeWithMetadataName</c>.</summary>
    public static IReadOnlyList<string> AttributeMetadataNames { get; } =
        CustomComponentDeclaration.AttributeNames.Keys.Select(name => "GeoDsl." + name + "Attribute").ToList();

    private const string RuntimeAssembly = "GeoDsl.Runtime";

    /// <summary>The declaration an attribute makes on <paramref name="type"/>, or null when it is not a custom component attribute.</summary>
    public static CustomComponentDeclaration? Read(INamedTypeSymbol type, AttributeData attribute)
    {
        if (attribute.AttributeClass is not { } attributeClass
            || attributeClass.ContainingNamespace?.ToDisplayString() != "GeoDsl"
            || !CustomComponentDeclaration.AttributeNames.TryGetValue(StripSuffix(attributeClass.Name), out var kind)
            || attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0].Value is not string name)
        {
            return null;
        }

        var named = new Dictionary<string, object?>();
        foreach (var argument in attribute.NamedArguments)
        {
            named[argument.Key] = Value(argument.Value);
        }

        string typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
        var declaration = CustomComponentDeclaration.FromAttribute(kind, name, typeName, named);
        var shape = Shape(type);
        return declaration with { ClassProblem = shape.Problem(declaration), ConstructorTakesBuild = shape.BuildConstructor };
    }

    /// <summary>Every declaration of one type (a class carries at most one per kind).</summary>
    public static IEnumerable<CustomComponentDeclaration> ReadAll(INamedTypeSymbol type) =>
        type.GetAttributes().Select(a => Read(type, a)).Where(d => d is not null).Select(d => d!);

    /// <summary>The declarations of the referenced assemblies that reference GeoDsl.Runtime (other assemblies cannot declare any).</summary>
    public static EquatableArray<CustomComponentDeclaration> FromReferences(Compilation compilation, CancellationToken cancellation)
    {
        var found = new List<CustomComponentDeclaration>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.Name == RuntimeAssembly || !assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == RuntimeAssembly)))
            {
                continue;
            }

            Collect(assembly.GlobalNamespace, found, publicOnly: true, cancellation);
        }

        return found.ToEquatableArray();
    }

    /// <summary>The project's own declarations and those of its references, for analyzers (which see the whole compilation).</summary>
    public static EquatableArray<CustomComponentDeclaration> FromCompilation(Compilation compilation, CancellationToken cancellation)
    {
        var found = new List<CustomComponentDeclaration>();
        if (compilation.SourceModule.ReferencedAssemblySymbols.Any(a => a.Name == RuntimeAssembly))
        {
            Collect(compilation.Assembly.GlobalNamespace, found, publicOnly: false, cancellation);
        }

        return found.Concat(FromReferences(compilation, cancellation)).ToEquatableArray();
    }

    private static void Collect(INamespaceSymbol ns, List<CustomComponentDeclaration> found, bool publicOnly, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                Collect(inner, found, publicOnly, cancellation);
            }
            else if (member is INamedTypeSymbol type)
            {
                CollectType(type, found, publicOnly);
            }
        }
    }

    private static void CollectType(INamedTypeSymbol type, List<CustomComponentDeclaration> found, bool publicOnly)
    {
        if (publicOnly && type.DeclaredAccessibility != Accessibility.Public)
        {
            return;
        }

        found.AddRange(ReadAll(type));
        foreach (var nested in type.GetTypeMembers())
        {
            CollectType(nested, found, publicOnly);
        }
    }

    private static CustomComponentClass Shape(INamedTypeSymbol type)
    {
        string? baseKind = null;
        ImmutableArray<ITypeSymbol> arguments = ImmutableArray<ITypeSymbol>.Empty;
        for (var t = type.BaseType; t is not null && baseKind is null; t = t.BaseType)
        {
            string metadataName = t.ContainingNamespace?.ToDisplayString() + "." + t.MetadataName;
            if (CustomComponentClass.BaseClasses.TryGetValue(metadataName, out string? kind))
            {
                baseKind = kind;
                arguments = t.TypeArguments;
            }
        }

        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        bool build = constructors.Any(c => c.Parameters.Length == 1 && c.Parameters[0].Type.ToDisplayString() == "GeoDsl.Runtime.Composition.ComponentBuild");
        bool none = constructors.Any(c => c.Parameters.Length == 0);
        string? featureIn = arguments.Length == 2 ? arguments[0].Name : null;
        string? featureOut = arguments.Length >= 1 ? arguments[arguments.Length - 1].Name : null;
        return new CustomComponentClass(baseKind, featureIn, featureOut, build, none);
    }

    private static object? Value(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Array)
        {
            return constant.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32 }
                ? constant.Values.Select(v => (int)v.Value!).ToArray()
                : constant.Values.Select(v => v.Value as string ?? string.Empty).ToArray();
        }

        return constant.Value;
    }

    private static string StripSuffix(string name) => name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
}
