using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Decoders;
using GeoDsl.Composition.Catalog.Heads;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Catalog.Custom;

/// <summary>
/// Custom components in the catalog: one descriptor per valid declaration, added to the built-in catalog. The
/// generator, the analyzers, the CLI and the runtime all build their catalog here, so a custom name is checked
/// exactly like a built-in one.
/// </summary>
public static class CustomComponents
{
    private static readonly object Gate = new();
    private static readonly Dictionary<EquatableArray<CustomComponentDeclaration>, ComponentCatalog> Catalogs = new();

    /// <summary>The catalog descriptor of a declaration; null when the declaration breaks a rule of <see cref="CustomComponentRules"/>.</summary>
    public static ComponentDescriptor? Describe(CustomComponentDeclaration declaration, ComponentCatalog builtIn)
    {
        if (CustomComponentRules.Check(declaration, builtIn).Count > 0)
        {
            return null;
        }

        return declaration.Kind switch
        {
            ComponentKind.Backbone => new CustomBackboneDescriptor(declaration),
            ComponentKind.Neck => new CustomNeckDescriptor(declaration),
            ComponentKind.Decoder => new CustomDecoderDescriptor(declaration),
            _ => new CustomHeadDescriptor(declaration),
        };
    }

    /// <summary>
    /// The built-in catalog plus the valid declarations (the first of two with one kind and name wins; the analyzer
    /// reports the second). Catalogs are cached by their declarations, since every file of a compilation shares them.
    /// </summary>
    public static ComponentCatalog Catalog(EquatableArray<CustomComponentDeclaration> declarations)
    {
        var builtIn = ComponentCatalog.Default;
        if (declarations.IsEmpty)
        {
            return builtIn;
        }

        lock (Gate)
        {
            if (Catalogs.TryGetValue(declarations, out var cached))
            {
                return cached;
            }
        }

        var described = declarations
            .GroupBy(d => (d.Kind, d.Name))
            .Select(g => Describe(g.First(), builtIn))
            .Where(d => d is not null)
            .ToList();
        var catalog = new ComponentCatalog(
            builtIn.Backbones.Concat(described.OfType<BackboneDescriptor>()),
            builtIn.Necks.Concat(described.OfType<CustomNeckDescriptor>()),
            builtIn.Decoders.Concat(described.OfType<DecoderDescriptor>()),
            builtIn.Heads.Concat(described.OfType<HeadDescriptor>()));
        lock (Gate)
        {
            // A build compiles a handful of distinct sets; the IDE one per edit of a declaration, so the cache stays small.
            if (Catalogs.Count > 64)
            {
                Catalogs.Clear();
            }

            Catalogs[declarations] = catalog;
        }

        return catalog;
    }
}
