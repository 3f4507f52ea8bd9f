using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ResNet;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The ResNets: torchvision's generic ones and TerraTorch's torchgeo-weighted Satlas and SSL4EO entries.</summary>
internal static class ResNetRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in ResNetVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new ResNetEncoder(ResNetOptions.For(((ResNetBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }
}
