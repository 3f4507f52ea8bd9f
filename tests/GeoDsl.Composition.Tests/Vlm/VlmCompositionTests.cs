using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Vlm;

namespace GeoDsl.Composition.Tests.Vlm;

/// <summary>vlm models compiled from text: published totals of whole compositions, visual tokens, and the RTX 4090 question.</summary>
public sealed class VlmCompositionTests
{
    private static VlmAnalysis Compile(string vision, string projector, string languageModel, string extra = "", string train = "gradient_checkpointing = true, language_model = qlora { r = 16 }", string target = "{ memory_gib = 4096 }", string images = "max_tiles = 6")
    {
        string text = $$"""
            model M : vlm {
                vision {{vision}}
                projector {{projector}}
                language_model {{languageModel}}
                images { {{images}} }
                text { context_length = 4096 }
                train { {{train}} }
                {{extra}}
                target {{target}}
            }
            """;
        var file = GeoModelCompiler.Compile("m.geomodel", text);
        Assert.DoesNotContain(file.Diagnostics, d => d.Severity == GeoDsl.Composition.Diagnostics.DiagnosticSeverity.Error);
        return Assert.Single(file.VlmModels);
    }

    // InternVL2 README / HF cards (backbone-facts §C3): 0.9 / 2.2 / 4.2 / 8.1 / 25.5 / 40 / 76 B, with InternVL's untied lm_head.
    [Theory]
    [InlineData("intern_vit_300m_448px", "qwen2_0_5b { tie_word_embeddings = false }", 0.9e9, 0.06)]
    [InlineData("intern_vit_300m_448px", "internlm2_chat_1_8b", 2.2e9, 0.02)]
    [InlineData("intern_vit_300m_448px", "phi_3_mini_128k", 4.2e9, 0.02)]
    [InlineData("intern_vit_300m_448px", "internlm2_5_7b", 8.1e9, 0.01)]
    [InlineData("intern_vit_6b_448px_v1_5", "internlm2_chat_20b", 25.5e9, 0.01)]
    [InlineData("intern_vit_6b_448px_v1_5", "yi_34b", 40e9, 0.01)]
    [InlineData("intern_vit_6b_448px_v1_5", "llama_3_70b", 76e9, 0.01)]
    public void InternVlTwoSizesMatchTheirCards(string vision, string languageModel, double published, double tolerance)
    {
        var analysis = Compile(vision, "pixel_shuffle_mlp", languageModel, train: "language_model = frozen");
        Assert.InRange(analysis.Parameters.Total, published * (1 - tolerance), published * (1 + tolerance));
    }

    [Fact]
    public void InternVlTwoPointFiveFourBillionIsThreePointSevenOnlyWithItsUntiedHead()
    {
        // HF card: 3.7 B; tied, the parts sum to 0.304 + 0.013 + 3.086 = 3.40 B.
        var untied = Compile("intern_vit_300m_448px_v2_5", "pixel_shuffle_mlp", "qwen2_5_3b { tie_word_embeddings = false }", train: "language_model = full");
        var tied = Compile("intern_vit_300m_448px_v2_5", "pixel_shuffle_mlp", "qwen2_5_3b", train: "language_model = full");
        Assert.Equal(3_713_711_104, untied.Parameters.Total);
        Assert.Equal(3_402_546_176, tied.Parameters.Total);
    }

    [Fact]
    public void SixTilesAndAThumbnailOfFourHundredFortyEightPixelsAre1792VisualTokens()
    {
        // (448 / 14)² = 1024 patches, pixel shuffle 2 → 256 per tile; 6 tiles + thumbnail = 7 × 256.
        var analysis = Compile("intern_vit_300m_448px", "pixel_shuffle_mlp", "qwen2_5_0_5b");
        Assert.Equal(256, analysis.VisualTokensPerTile);
        Assert.Equal(1792, analysis.VisualTokensPerSample);
    }

    [Fact]
    public void AnyCatalogBackboneCanBeTheVisionEncoder()
    {
        // Prithvi-EO-2.0-300M at 224 px: 14×14 patches of 1024 wide; a 2×2 pixel shuffle gives 49 tokens of 4096.
        var analysis = Compile("prithvi_eo_v2_300", "pixel_shuffle_mlp", "qwen2_5_0_5b", images: "tile_size = 224");
        Assert.Equal(49, analysis.VisualTokensPerTile);
        Assert.Equal("vision", analysis.Stages[0].Path);
    }

    // The 4090 question (models/vlm_internvl2_rtx4090.geomodel, vlm_internvl2_large.geomodel): at InternVL's fine-tuning settings,
    // which modes fit 24 GiB? The breakdown is arithmetic, so the answer is checked mode by mode against the estimate's own terms.
    [Theory]
    [InlineData("intern_vit_300m_448px", "internlm2_chat_1_8b", true, true)]
    [InlineData("intern_vit_300m_448px", "phi_3_mini_128k", true, true)]
    [InlineData("intern_vit_300m_448px", "internlm2_5_7b", true, true)]
    [InlineData("intern_vit_6b_448px_v1_5", "internlm2_chat_20b", false, false)]
    [InlineData("intern_vit_6b_448px_v1_5", "yi_34b", false, false)]
    public void OnAnRtx4090LoraAndQloraFitFromTwoToEightBillionAndNothingFitsFromTwentySix(string vision, string languageModel, bool loraFits, bool qloraFits)
    {
        var options = Compile(vision, "pixel_shuffle_mlp", languageModel).Options;
        long rtx4090 = GeoDsl.Composition.Catalog.Gpus.Find("rtx_4090")!.MemoryBytes;
        Assert.Equal(loraFits, options.Single(o => o.Mode.StartsWith("LoRA", StringComparison.Ordinal)).DeviceBytes <= rtx4090);
        Assert.Equal(qloraFits, options.Single(o => o.Mode.StartsWith("QLoRA", StringComparison.Ordinal) && o.Mode.EndsWith("language model", StringComparison.Ordinal)).DeviceBytes <= rtx4090);
        Assert.Equal(qloraFits, options.Any(o => o.DeviceBytes <= rtx4090));
    }

    [Fact]
    public void QloraStoresLinearWeightsInFourBitsAndTheRestInSixteen()
    {
        var analysis = Compile("intern_vit_300m_448px", "pixel_shuffle_mlp", "internlm2_5_7b", train: "language_model = qlora { r = 16 }");
        var counts = GeoDsl.Composition.Catalog.LanguageModels.LanguageModelCounts.Of(GeoDsl.Composition.Catalog.LanguageModels.LanguageModels.Find("internlm2_5_7b")!);
        long visionAndProjector = (304_012_288L + ((2 * 4096) + (4096 * 4096) + 4096 + (4096 * 4096) + 4096)) * 2;
        double language = (counts.Linear * LoraFootprint.QuantizedBytesPerParameter(doubleQuant: true)) + ((counts.Total - counts.Linear) * 2.0);
        // LoRA r = 16 on all seven modules of 32 blocks: 16 · (q 8192 + k 5120 + v 5120 + o 8192 + gate 18432 + up 18432 + down 18432).
        long adapters = 32L * 16 * 81_920;
        long weights = analysis.Memory.TrainingBreakdown.First(i => i.Name == "weights").Bytes;
        Assert.InRange(weights, (long)(visionAndProjector + language + (adapters * 2)) - 1, (long)(visionAndProjector + language + (adapters * 2)) + 1);
    }
}
