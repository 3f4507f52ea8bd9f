using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The Prithvi EO encoders.</summary>
internal static class PrithviRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in PrithviVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new PrithviViT(Options(((PrithviBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }

    /// <summary>The runtime options for a Prithvi encoder the front end resolved.</summary>
    public static PrithviViTOptions Options(PrithviArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = (a.Tubelet, a.Patch, a.Patch),
        NumFrames = a.Frames,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        TimeEncoding = a.TimeEncoding,
        LocationEncoding = a.LocationEncoding,
        CoordsScaleLearn = a.CoordsScaleLearn,
        OutIndices = a.OutIndices.ToArray(),
        DropPath = a.DropPath,
    };
}
