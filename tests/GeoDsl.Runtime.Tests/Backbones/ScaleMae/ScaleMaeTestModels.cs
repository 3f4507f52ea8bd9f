using GeoDsl.Runtime.Backbones.ScaleMae;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>Small Scale-MAE configurations and model texts for the tests.</summary>
internal static class ScaleMaeTestModels
{
    /// <summary>A small encoder: RGB, D = 32, 2 blocks, patch 8, 0.5 m ground sample distance, both blocks returned.</summary>
    public static ScaleMaeViTOptions Tiny(double res = 0.5) => new()
    {
        EmbedDim = 32, Depth = 2, NumHeads = 4, PatchSize = 8, Res = res, OutIndices = new[] { 0, 1 },
    };

    public static string Model(string size, string backbone = "scalemae_vit_large_patch16", string extra = "") => $$"""
        model TinyScaleMae : segmentation {
            input { bands = [RED, GREEN, BLUE], size = {{size}} }
            backbone {{backbone}} { embed_dim = 64, depth = 2, num_heads = 4, res = 0.3{{extra}} }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;
}
