using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Clay;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The Clay encoders.</summary>
internal static class ClayRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in ClayVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new ClayEncoder(Options(((ClayBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }

    /// <summary>The runtime options for a Clay encoder the front end resolved.</summary>
    public static ClayEncoderOptions Options(ClayArchitecture a) => new()
    {
        Wavelengths = a.Wavelengths.ToArray(),
        Dim = a.Dim,
        Depth = a.Depth,
        Heads = a.Heads,
        DimHead = a.DimHead,
        MlpRatio = a.MlpRatio,

        // v1's grid is img_size's (the front end has checked the padded input equals it); v1.5 takes the padded input's.
        ImageSize = a.FixedGridSize is int grid ? (grid * a.Patch, grid * a.Patch) : (a.ImageHeight, a.ImageWidth),
        FixedGrid = a.FixedGridSize is not null,
        Gsd = a.Gsd,
        OutIndices = a.OutIndices.ToArray(),
    };
}
