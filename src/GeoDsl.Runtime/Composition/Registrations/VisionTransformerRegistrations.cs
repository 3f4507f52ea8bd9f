using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.VisionTransformer;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>torchvision's Vision Transformers, under both catalog spellings (<c>vit_base_patch16</c> and <c>vit_b_16</c>).</summary>
internal static class VisionTransformerRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in VisionTransformerVariants.All)
        {
            foreach (var name in variant.Names)
            {
                entries.Add(ComponentKind.Backbone, name, b => new TorchvisionViT(TorchvisionViTOptions.From(((VisionTransformerBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), name));
            }
        }
    }
}
