using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.SatMae;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>Small SatMAE configurations and model texts for the tests.</summary>
internal static class SatMaeTestModels
{
    /// <summary>The ten bands the multispectral groups need, in the order the published data use.</summary>
    public static string TenBands => string.Join(", ", SatMaeVariants.MultispectralBands);

    /// <summary>A small group-channel encoder: 10 bands, D = 64 (32 position + 32 group channels), 2 blocks, patch 8.</summary>
    public static SatMaeGroupChannelViTOptions TinyGroups(int size = 32) => new()
    {
        EmbedDim = 64, ChannelEmbed = 32, Depth = 2, NumHeads = 4, PatchSize = 8, ImageSize = (size, size),
    };

    /// <summary>A small temporal encoder: RGB, D = 48 (24 position + 3 × 8 time channels), 2 blocks, patch 8.</summary>
    public static SatMaeTemporalViTOptions TinyTemporal(int size = 32) => new()
    {
        EmbedDim = 48, TimeEmbedDim = 8, Depth = 2, NumHeads = 4, PatchSize = 8, ImageSize = (size, size),
    };

    /// <summary>A segmentation model on the multispectral encoder, shrunk, at <paramref name="size"/> (e.g. "96" or "[48, 80]").</summary>
    public static string MultispectralModel(string size, string backbone = "satmae_vit_base_multispectral") => $$"""
        model TinySatMae : segmentation {
            input { bands = [{{TenBands}}], size = {{size}} }
            backbone {{backbone}} { embed_dim = 64, channel_embed = 32, depth = 2, num_heads = 4 }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;

    /// <summary>A segmentation model on the temporal encoder: RGB, 3 frames. D must exceed the 384 time channels.</summary>
    public static string TemporalModel(string size, int frames = 3) => $$"""
        model TinySatMaeTemporal : segmentation {
            input { bands = [RED, GREEN, BLUE], size = {{size}}, frames = {{frames}} }
            backbone satmae_vit_large_temporal { embed_dim = 416, depth = 1, num_heads = 4 }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;
}
