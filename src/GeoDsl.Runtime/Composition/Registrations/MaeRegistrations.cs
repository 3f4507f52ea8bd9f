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
                Options(((SatMaeMultispectralBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in SatMaeVariants.Temporal)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new SatMaeTemporalViT(
                Options(((SatMaeTemporalBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in ScaleMaeVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new ScaleMaeViT(
                Options(((ScaleMaeBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }

        foreach (var variant in Ssl4eoVariants.All)
        {
            entries.Add(ComponentKind.Backbone, variant.Name, b => new Ssl4eoViT(
                Options(((Ssl4eoViTBackbone)b.Descriptor).Resolve(b.Model.Input, b.Args)), variant.Name));
        }
    }

    public static SatMaeGroupChannelViTOptions Options(SatMaeGroupArchitecture a) => new()
    {
        InChannels = a.InChannels,
        ChannelGroups = a.ChannelGroups,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        ChannelEmbed = a.ChannelEmbed,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public static SatMaeTemporalViTOptions Options(SatMaeTemporalArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public static ScaleMaeViTOptions Options(ScaleMaeArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        Res = a.Res,
        OutIndices = a.OutIndices.ToArray(),
        DropPathRate = a.DropPathRate,
    };

    public static Ssl4eoViTOptions Options(Ssl4eoViTArchitecture a) => new()
    {
        InChannels = a.InChannels,
        EmbedDim = a.EmbedDim,
        Depth = a.Depth,
        NumHeads = a.Heads,
        MlpRatio = a.MlpRatio,
        PatchSize = a.Patch,
        ImageSize = (a.ImageHeight, a.ImageWidth),
        DropPathRate = a.DropPathRate,
    };
}
