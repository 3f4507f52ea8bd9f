using System.Text.RegularExpressions;
using GeoDsl.Composition;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>Inputs shared by the tests: the reference models, small inline models and attributed classes.</summary>
internal static class TestSources
{
    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Every reference model under models/, by file name (the test project copies them to its output).</summary>
    public static IReadOnlyList<string> ReferenceModelFiles() => Directory
        .GetFiles(ModelsDirectory, "*.geomodel", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(ModelsDirectory, p).Replace('\\', '/'))
        .OrderBy(p => p, StringComparer.Ordinal)
        .ToList();

    public static GeoModelFile ReferenceModel(string relativePath)
    {
        string path = Path.Combine(ModelsDirectory, relativePath);
        return new GeoModelFile(path, File.ReadAllText(path));
    }

    /// <summary>The names of the valid models in a file, as the front end sees them.</summary>
    public static IReadOnlyList<ModelAnalysis> ValidModels(GeoModelFile file) => GeoModelCompiler.Compile(file.Path, file.Text).Models;

    /// <summary>The valid vlm models in a file, which get a description class each.</summary>
    public static IReadOnlyList<GeoDsl.Composition.Vlm.VlmAnalysis> ValidVlmModels(GeoModelFile file) => GeoModelCompiler.Compile(file.Path, file.Text).VlmModels;

    /// <summary>
    /// <paramref name="count"/> differently named variants of the reference models (cycling through models/), each its
    /// own file: every <c>model Name</c> becomes <c>model Name_V{i}</c>. vlm files are left out: their classes come from
    /// another pipeline step (<see cref="TrackingNames.VlmTargets"/>), and one file declares several.
    /// </summary>
    public static IReadOnlyList<GeoModelFile> Variants(int count)
    {
        var references = ReferenceModelFiles().Select(ReferenceModel).Where(f => ValidVlmModels(f).Count == 0).ToList();
        return Enumerable.Range(1, count).Select(i =>
        {
            var original = references[(i - 1) % references.Count];
            string suffix = "_V" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            string text = Regex.Replace(original.Text, @"(?m)^(\s*model\s+)(\w+)", m => m.Groups[1].Value + m.Groups[2].Value + suffix);
            return GeoModelFile.Inline($"variant{suffix}.geomodel", text);
        }).ToList();
    }

    /// <summary>A small valid segmentation model on prithvi_eo_tiny that fits any GPU.</summary>
    public const string TinyModel = """
        model TinyWater : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 64 }
            backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 64, depth = 4, num_heads = 4 }
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [64, 32, 16, 16] }
            head segmentation { num_classes = 2 }
        }
        """;

    /// <summary><see cref="TinyModel"/> with a typo in the backbone name (GEO0011).</summary>
    public static readonly string TinyModelWithTypo = TinyModel.Replace("model TinyWater", "model BrokenWater").Replace("prithvi_eo_tiny", "prithvi_eo_tyni");

    /// <summary>An attributed flood mapper in a namespace, with an auxiliary head and training settings.</summary>
    public const string AttributedFloodMapper = """
        using GeoDsl;

        namespace Demo.Floods
        {
            /// <summary>A small flood mapper declared in C#.</summary>
            [GeoModel("segmentation")]
            [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 128")]
            [GeoBackbone("prithvi_eo_tiny", "patch_size = 8, embed_dim = 64, depth = 4, num_heads = 4")]
            [GeoNeck("select_indices", "indices = [0, 1, 2, 3]")]
            [GeoNeck("reshape_tokens_to_image")]
            [GeoNeck("learned_interpolate_to_pyramidal")]
            [GeoDecoder("unet", "channels = [64, 32, 16, 16]")]
            [GeoHead("segmentation", "num_classes = 2, dropout = 0.1")]
            [GeoAuxiliaryHead("aux", "decoder fcn { channels = 16, num_convs = 1 }")]
            [GeoTrain("batch_size = 4, precision = bf16_mixed, optimizer = adamw { lr = 1e-4 }, loss = dice")]
            [GeoTarget("rtx_4090")]
            public partial class TinyFloodMapper
            {
                /// <summary>User code beside the generated part.</summary>
                public string Describe() => CanonicalSource;
            }
        }
        """;

    /// <summary>An internal attributed regression model in the global namespace, on four frames.</summary>
    public const string AttributedBiomassRegressor = """
        using GeoDsl;

        [GeoModel("regression")]
        [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW], size = 64, frames = 4")]
        [GeoBackbone("prithvi_eo_tiny", "patch_size = 8, embed_dim = 64, depth = 2, num_heads = 4")]
        [GeoNeck("reshape_tokens_to_image")]
        [GeoDecoder("fcn", "channels = 32")]
        [GeoHead("regression", "final_act = softplus")]
        internal partial class BiomassRegressor
        {
        }
        """;

    /// <summary>InternVL2.5-4B's shape as an internal attributed vlm class, LoRA on the language model, on an RTX 4090.</summary>
    public const string AttributedEarthVlm = """
        using GeoDsl;

        namespace Demo.Vlm;

        [GeoModel("vlm")]
        [GeoVision("intern_vit_300m_448px_v2_5")]
        [GeoProjector("pixel_shuffle_mlp", "factor = 2")]
        [GeoLanguageModel("qwen2_5_3b", "tie_word_embeddings = false")]
        [GeoImages("tile_size = 448, max_tiles = 6")]
        [GeoText("context_length = 4096")]
        [GeoTrain("gradient_checkpointing = true, language_model = lora { r = 16, lora_alpha = 32 }")]
        [GeoTarget("rtx_4090")]
        internal partial class EarthVlm
        {
        }
        """;

    /// <summary>A scene classifier whose backbone is not a typed stage chain ending in maps (pooled features).</summary>
    public const string AttributedSceneClassifier = """
        using GeoDsl;

        namespace Demo.Scenes;

        [GeoModel("classification")]
        [GeoInput("bands = [RED, GREEN, BLUE], size = 32")]
        [GeoBackbone("prithvi_eo_tiny", "patch_size = 8, embed_dim = 32, depth = 2, num_heads = 2")]
        [GeoNeck("reshape_tokens_to_image")]
        [GeoDecoder("identity")]
        [GeoHead("classification", "num_classes = 10, dim_list = [16]")]
        public sealed partial class SceneClassifier
        {
        }
        """;
}
