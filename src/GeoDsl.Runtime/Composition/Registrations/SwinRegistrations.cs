using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Swin;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The Swin backbones: torchvision's, SatlasPretrain's and Prithvi-Swin.</summary>
internal static class SwinRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in SwinVariants.Torchvision)
        {
            entries.Add(ComponentKind.Backbone, variant.Name,
                b => new SwinTransformer(Options(((SwinBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in SwinVariants.Satlas)
        {
            entries.Add(ComponentKind.Backbone, variant.Name,
                b => new SatlasSwinTransformer(Options(((SwinSatlasBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.MultiImage, variant.Name));
        }

        foreach (var variant in SwinVariants.Prithvi)
        {
            entries.Add(ComponentKind.Backbone, variant.Name,
                b => new PrithviSwinTransformer(Options(((SwinPrithviBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }

    private static SwinOptions Options(SwinArchitecture a) => SwinOptions.From(a);
}
