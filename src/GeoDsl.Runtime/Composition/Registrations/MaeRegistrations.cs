using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Backbones.Ssl4eo;

namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>The MAE-style ViT family: SatMAE (multispectral, temporal), Scale-MAE and the SSL4EO ViT-S/16 encoders.</summary>
internal static class MaeRegistrations
{
    public static void Add(ComponentFactories entries)
    {
        foreach (var variant in SatMaeVariants.Multispectral)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new SatMaeGroupChannelViT(
                SatMaeGroupChannelViTOptions.From(((SatMaeMultispectralBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in SatMaeVariants.Temporal)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new SatMaeTemporalViT(
                SatMaeTemporalViTOptions.From(((SatMaeTemporalBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in ScaleMaeVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new ScaleMaeViT(
                ScaleMaeViTOptions.From(((ScaleMaeBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in Ssl4eoVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new Ssl4eoViT(
                Ssl4eoViTOptions.From(((Ssl4eoViTBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }
}
