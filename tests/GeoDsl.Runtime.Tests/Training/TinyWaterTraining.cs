using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.Synthetic;
using GeoDsl.Runtime.Tests.GeoTiff;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>
/// A tiny water-mapping model and a few synthetic 32×32 scenes on disk, shared by the trainer tests: 8 training and 4
/// held-out chips, normalised with the training chips' statistics.
/// </summary>
public sealed class TinyWaterTraining : IDisposable
{
    private readonly TemporaryFolder folder = new("training");

    public TinyWaterTraining()
    {
        var train = SyntheticWaterScenes.WriteTiles(Path.Combine(folder.Path, "train"), 8, 32, seed: 11);
        var heldOut = SyntheticWaterScenes.WriteTiles(Path.Combine(folder.Path, "heldout"), 4, 32, seed: 12);
        var normalization = GeoTiffChipDataset.ComputeNormalization(train.DatasetOptions());
        Train = new GeoTiffChipDataset(train.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
        HeldOut = new GeoTiffChipDataset(heldOut.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
    }

    public GeoTiffChipDataset Train { get; }

    public GeoTiffChipDataset HeldOut { get; }

    public string Scratch(string name) => Path.Combine(folder.Path, name);

    /// <summary>The model text with <paramref name="train"/> as the body of its train block.</summary>
    public static string ModelText(string train = "batch_size = 4, epochs = 2, optimizer = adamw { lr = 0.003, weight_decay = 0.01 }, loss = ce, seed = 7",
        string extra = "") => $$"""
        model TinyTrainee : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 32 }
            backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 32, depth = 4, num_heads = 2 }
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [32, 16, 8, 8] }
            head segmentation { num_classes = 2 }
            {{extra}}
            train { {{train}} }
        }
        """;

    /// <summary>A tiny image-level (<c>classification</c>) or per-pixel (<c>regression</c>) model with 6 bands at 32×32.</summary>
    public static string TaskModelText(string kind, string head, string train)
    {
        string stages = kind == "classification"
            ? "neck reshape_tokens_to_image\n decoder identity"
            : "neck select_indices { indices = [0, 1, 1, 1] }\n neck reshape_tokens_to_image\n neck learned_interpolate_to_pyramidal\n decoder unet { channels = [16, 8, 8, 8] }";
        return $$"""
            model TinyTask : {{kind}} {
                input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 32 }
                backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 32, depth = 2, num_heads = 2 }
                {{stages}}
                head {{head}}
                train { {{train}} }
            }
            """;
    }

    /// <summary>Seeded random images [n, 6, 32, 32].</summary>
    public static torch.Tensor Images(int n, int seed) => torch.randn(new long[] { n, 6, 32, 32 }, generator: new torch.Generator((ulong)seed));

    /// <summary>A model built right after seeding torch, so two calls with one seed give the same weights.</summary>
    public static GeoModel Build(string text, long seed = 7)
    {
        var spec = ModelSpecs.Parse(text, "tiny.geomodel");
        torch.manual_seed(seed);
        return new GeoModel(spec);
    }

    public void Dispose() => folder.Dispose();
}
