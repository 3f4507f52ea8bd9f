using GeoDsl.Runtime.Backbones.Ssl4eo;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>Small SSL4EO configurations and model texts for the tests.</summary>
internal static class Ssl4eoTestModels
{
    public const string S2Name = "ssl4eos12_vit_small_patch16_224_sentinel2_all_moco";

    public const string S2Bands = "COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, CIRRUS, SWIR_1, SWIR_2";

    /// <summary>A small encoder: D = 32, 3 blocks, patch 16, declared at 64 px.</summary>
    public static Ssl4eoViTOptions Tiny(int channels = 13, int size = 64) => new()
    {
        InChannels = channels, EmbedDim = 32, Depth = 3, NumHeads = 4, ImageSize = (size, size),
    };

    public static string Model(string size, string backbone = S2Name, string bands = S2Bands) => $$"""
        model TinySsl4eo : segmentation {
            input { bands = [{{bands}}], size = {{size}} }
            backbone {{backbone}} { embed_dim = 32, depth = 3, num_heads = 4 }
            neck select_indices { indices = [-1] }
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;
}
