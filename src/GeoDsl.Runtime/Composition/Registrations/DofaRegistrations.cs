using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Dofa;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The DOFA encoders.</summary>
internal static class DofaRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in DofaVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new DofaViT(Options(((DofaBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }

    /// <summary>The runtime options for a DOFA encoder the front end resolved.</summary>
    public static DofaViTOptions Options(DofaArchitecture a) => new()
    {
        Wavelengths = a.Wavelengths.ToArray(),
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        OutIndices = a.OutIndices.ToArray(),
        DropPath = a.DropPath,
    };
}
