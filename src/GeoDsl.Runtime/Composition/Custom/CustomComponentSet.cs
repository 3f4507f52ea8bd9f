using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Custom;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition.Custom;

/// <summary>
/// The user components a program registers: each module class with its declared contract (read from its
/// <c>[GeoCustom…]</c> attribute) and a factory. It gives the catalog the front end checks models against, the
/// registry <see cref="GeoModel"/> builds from, and compiles model text with both. Every module it builds checks its
/// first forward pass against the contract (<see cref="ComponentContract"/>). Generated model classes create one
/// with the factories of the components they use; programs that read <c>.geomodel</c> files at run time create their own.
/// </summary>
public sealed class CustomComponentSet
{
    private readonly List<CustomComponentDeclaration> _declarations = new();
    private readonly ComponentFactories _factories = new();
    private ComponentCatalog? _catalog;
    private ComponentRegistry? _registry;

    public IReadOnlyList<CustomComponentDeclaration> Declarations => _declarations;

    /// <summary>The built-in catalog plus these components.</summary>
    public ComponentCatalog Catalog => _catalog ??= CustomComponents.Catalog(_declarations.ToEquatableArray());

    /// <summary>The built-in registry plus these components' factories.</summary>
    public ComponentRegistry Registry => _registry ??= ComponentRegistry.Default.With(_factories);

    /// <summary>Front-end options carrying these components, for <see cref="GeoModelCompiler"/> and <see cref="ModelSpecs"/>.</summary>
    public CompileOptions Options => CompileOptions.Default with { CustomComponents = _declarations.ToEquatableArray() };

    /// <summary>Registers <typeparamref name="TModule"/>, built by its public constructor taking a <see cref="ComponentBuild"/> (or none).</summary>
    /// <exception cref="CustomComponentException">Its declaration is missing or breaks a rule (the message lists every problem and its fix).</exception>
    public CustomComponentSet Add<TModule>() where TModule : nn.Module => Add(typeof(TModule), null);

    /// <summary>Registers <typeparamref name="TModule"/> with a factory of your own.</summary>
    public CustomComponentSet Add<TModule>(Func<ComponentBuild, TModule> factory) where TModule : nn.Module => Add(typeof(TModule), build => factory(build));

    public CustomComponentSet Add(Type moduleType, Func<ComponentBuild, nn.Module>? factory = null)
    {
        var declaration = Read(moduleType);
        var problems = CustomComponentRules.Check(declaration, ComponentCatalog.Default);
        if (problems.Count > 0)
        {
            throw new CustomComponentException($"{declaration.Title} ({moduleType.FullName}) cannot be registered:\n" +
                string.Join("\n", problems.Select(p => $"  {p.Descriptor.Id}: {p.Message}")));
        }

        if (_declarations.Any(d => d.Kind == declaration.Kind && d.Name == declaration.Name))
        {
            throw new CustomComponentException($"{declaration.Title} is registered twice (again by {moduleType.FullName}); give each component its own name.");
        }

        factory ??= build => Construct(moduleType, declaration, build);
        _declarations.Add(declaration);
        _factories.Add(declaration.Kind, declaration.Name, build => ComponentContract.CheckFirstForward(factory(build), build));
        _catalog = null;
        _registry = null;
        return this;
    }

    /// <summary>Compiles model text (one model) against the built-in catalog and these components.</summary>
    /// <exception cref="InvalidOperationException">The text does not compile; the message lists the diagnostics.</exception>
    public ModelSpec Compile(string source, string origin = "<model>") => ModelSpecs.Analyze(source, origin, Options).Spec;

    /// <summary>The declaration on a module class, as the generator and analyzers read it from the compilation.</summary>
    /// <exception cref="CustomComponentException">The class has no <c>[GeoCustom…]</c> attribute.</exception>
    public static CustomComponentDeclaration Read(Type moduleType)
    {
        var data = moduleType.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType.Namespace == "GeoDsl" && CustomComponentDeclaration.AttributeNames.ContainsKey(StripSuffix(a.AttributeType.Name)))
            ?? throw new CustomComponentException(
                $"{moduleType.FullName} has no custom component attribute; declare its contract with [GeoCustomBackbone], [GeoCustomNeck], [GeoCustomDecoder] or [GeoCustomHead].");
        var kind = CustomComponentDeclaration.AttributeNames[StripSuffix(data.AttributeType.Name)];
        var named = data.NamedArguments.ToDictionary(a => a.MemberName, a => Value(a.TypedValue));
        var declaration = CustomComponentDeclaration.FromAttribute(kind, (string)data.ConstructorArguments[0].Value!, (moduleType.FullName ?? moduleType.Name).Replace('+', '.'), named);
        var shape = Shape(moduleType);
        return declaration with { ClassProblem = shape.Problem(declaration), ConstructorTakesBuild = shape.BuildConstructor };
    }

    private static CustomComponentClass Shape(Type type)
    {
        string? baseKind = null;
        Type[] arguments = Type.EmptyTypes;
        for (var t = type.BaseType; t is not null && baseKind is null; t = t.BaseType)
        {
            var definition = t.IsGenericType ? t.GetGenericTypeDefinition() : t;
            if (definition.FullName is { } name && CustomComponentClass.BaseClasses.TryGetValue(name, out string? kind))
            {
                baseKind = kind;
                arguments = t.GetGenericArguments();
            }
        }

        string? featureIn = arguments.Length == 2 ? arguments[0].Name : null;
        string? featureOut = arguments.Length >= 1 ? arguments[arguments.Length - 1].Name : null;
        return new CustomComponentClass(baseKind, featureIn, featureOut,
            type.GetConstructor(new[] { typeof(ComponentBuild) }) is not null, type.GetConstructor(Type.EmptyTypes) is not null);
    }

    private static nn.Module Construct(Type type, CustomComponentDeclaration declaration, ComponentBuild build) =>
        (nn.Module)(declaration.ConstructorTakesBuild ? Activator.CreateInstance(type, build) : Activator.CreateInstance(type))!;

    private static object? Value(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        IReadOnlyCollection<CustomAttributeTypedArgument> items when argument.ArgumentType == typeof(int[]) => items.Select(i => (int)i.Value!).ToArray(),
        IReadOnlyCollection<CustomAttributeTypedArgument> items => items.Select(i => i.Value as string ?? string.Empty).ToArray(),
        var value => value,
    };

    private static string StripSuffix(string name) => name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
}

/// <summary>A custom component that cannot be registered or built, or whose output breaks its declared contract.</summary>
public sealed class CustomComponentException : Exception
{
    public CustomComponentException(string message) : base(message)
    {
    }
}
