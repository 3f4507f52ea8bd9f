using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>Every backbone family of the catalog; a family lists its entries in its own file.</summary>
public static class BackboneFamilies
{
    public static IEnumerable<BackboneDescriptor> All =>
        PrithviVariants.All.Select(v => (BackboneDescriptor)new PrithviBackbone(v))
        .Concat(ClayVariants.All.Select(v => (BackboneDescriptor)new ClayBackbone(v)))
        .Concat(DofaVariants.All.Select(v => (BackboneDescriptor)new DofaBackbone(v)))
        .Concat(TerraMindVariants.All.Select(v => (BackboneDescriptor)new TerraMindBackbone(v)))
        .Concat(VisionTransformerVariants.Backbones)
        .Concat(ConvNeXtVariants.Backbones)
        .Concat(ResNetVariants.All.Select(v => (BackboneDescriptor)new ResNetBackbone(v)))
        .Concat(MaeBackbones.All)
        .Concat(SwinVariants.All);
}
