using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition.Registrations;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Composition;

/// <summary>What a factory needs to build one component: its catalog entry, bound arguments, input shape and the model.</summary>
public sealed record ComponentBuild(ComponentDescriptor Descriptor, ArgumentList Args, FeatureShape? Input, ModelSpec Model)
{
    /// <summary>The incoming channel list (TerraTorch's <c>channel_list</c>/<c>embed_dim</c>).</summary>
    public IReadOnlyList<int> InputChannels => Input?.Channels ?? Array.Empty<int>();
}

/// <summary>
/// The TorchSharp implementation of every catalog name: a table of factories, one entry per component, keyed by
/// the same names the front end uses. The front end already checked the arguments and shapes, so a factory only
/// translates bound values into constructor arguments.
/// </summary>
public sealed class ComponentRegistry
{
    private readonly Dictionary<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>> _factories;

    public ComponentRegistry(IEnumerable<KeyValuePair<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>>> factories) =>
        _factories = factories.ToDictionary(f => f.Key, f => f.Value);

    public static ComponentRegistry Default { get; } = new(CreateDefaultFactories());

    public bool Contains(ComponentKind kind, string name) => _factories.ContainsKey((kind, name));

    /// <summary>This registry plus <paramref name="extra"/> (user components); an extra entry replaces one of the same kind and name.</summary>
    public ComponentRegistry With(IEnumerable<KeyValuePair<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>>> extra)
    {
        var merged = new Dictionary<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>>(_factories);
        foreach (var entry in extra)
        {
            merged[entry.Key] = entry.Value;
        }

        return new ComponentRegistry(merged);
    }

    public nn.Module Build(ComponentKind kind, ComponentBuild build)
    {
        if (!_factories.TryGetValue((kind, build.Descriptor.Name), out var factory))
        {
            throw new NotSupportedException(
                $"{build.Descriptor.Title} is in the catalog but has no TorchSharp implementation registered; " +
                "register one with ComponentRegistry or choose another component.");
        }

        return factory(build);
    }

    private static IEnumerable<KeyValuePair<(ComponentKind, string), Func<ComponentBuild, nn.Module>>> CreateDefaultFactories()
    {
        var entries = new ComponentFactories();
        BackboneRegistrations.AddAll(entries);
        StageRegistrations.Add(entries);
        return entries;
    }
}

/// <summary>Registration entries: a catalog kind and name, and the factory that builds it.</summary>
public sealed class ComponentFactories : List<KeyValuePair<(ComponentKind Kind, string Name), Func<ComponentBuild, nn.Module>>>
{
    public void Add(ComponentKind kind, string name, Func<ComponentBuild, nn.Module> factory) => Add(new((kind, name), factory));
}
