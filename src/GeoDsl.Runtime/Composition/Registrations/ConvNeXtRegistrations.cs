using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ConvNeXt;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>torchvision's ConvNeXts.</summary>
internal static class ConvNeXtRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in ConvNeXtVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(((ConvNeXtBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }
}
