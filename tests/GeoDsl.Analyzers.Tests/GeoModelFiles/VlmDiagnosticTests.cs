using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>GEO1101–GEO1106: vision-language compositions, reported in the IDE on the token at fault, with the numbers.</summary>
public sealed class VlmDiagnosticTests
{
    /// <summary>InternVL2.5-4B's shape on an H200 (fits, no memory diagnostic), with the parts and settings given.</summary>
    private static string Vlm(string vision = "intern_vit_300m_448px", string projector = "pixel_shuffle_mlp", string languageModel = "qwen2_5_3b", string context = "4096") => $$"""
        model M : vlm {
            vision         {{vision}}
            projector      {{projector}}
            language_model {{languageModel}}
            images         { max_tiles = 6 }
            text           { context_length = {{context}} }
            train          { gradient_checkpointing = true, language_model = qlora { r = 16 } }
            target         h200
        }
        """;

    [Fact]
    public Task TheRightCompositionHasNoDiagnostic() => TestHelper.AnalyzeModelAsync(Vlm());

    [Fact]
    public Task AProjectorOutputNarrowerThanTheLanguageModelIsAWidthMismatch() => TestHelper.AnalyzeModelAsync(
        Vlm(projector: "pixel_shuffle_mlp { out_features = {|#0:896|} }"),
        d =>
        {
            // Qwen2.5-3B's hidden size is 2048 (config.json); the 896-wide language models are the 0.5B ones.
            Assert.Contains("Projector 'pixel_shuffle_mlp' out_features = 896, but language model 'qwen2_5_3b' gives hidden states 2,048 wide.", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("qwen2_5_0_5b", d.GetMessage(), StringComparison.Ordinal);
        },
        TestHelper.Diagnostic("GEO1101"));

    [Fact]
    public Task AProjectorInputThatIgnoresThePixelShuffleIsAWidthMismatch() => TestHelper.AnalyzeModelAsync(
        Vlm(projector: "pixel_shuffle_mlp { in_features = {|#0:1024|} }"),
        // InternViT-300M is 1024 wide; a 2×2 pixel shuffle concatenates 4 tokens: 4096.
        d => Assert.Contains("in_features = 1,024, but vision 'intern_vit_300m_448px' gives 4,096 after its 2×2 merge (1,024 × 4)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1101"));

    [Fact]
    public Task SixTilesAndAThumbnailDoNotFitAThousandTokenContext() => TestHelper.AnalyzeModelAsync(
        Vlm(context: "{|#0:1024|}"),
        d =>
        {
            // (448 / 14)² / 2² = 256 tokens per tile; 7 tiles = 1792 ≥ 1024. Two tiles and the thumbnail (768) would leave room.
            Assert.Contains("Each sample carries 1,792 visual tokens (1 image(s) × 7 tiles × 256 tokens per tile), but context_length is 1,024", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("allow at most 2 tiles (max_tiles) per image", d.GetMessage(), StringComparison.Ordinal);
        },
        TestHelper.Diagnostic("GEO1102"));

    [Fact]
    public Task ALanguageModelAsTheVisionEncoderExplainsTheDifference() => TestHelper.AnalyzeModelAsync(
        Vlm(vision: "{|#0:granite_4_0_h_tiny|}"),
        d =>
        {
            Assert.Contains("'granite_4_0_h_tiny' is a language model", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("Pair it with an image encoder in a vlm model: 'vision intern_vit_300m_448px', 'projector pixel_shuffle_mlp'", d.GetMessage(), StringComparison.Ordinal);
        },
        TestHelper.Diagnostic("GEO1103"));

    [Fact]
    public Task ALanguageModelAsASegmentationBackboneIsTheSameMistake() => TestHelper.AnalyzeModelAsync("""
        model S : segmentation {
            input    { bands = [BLUE, GREEN, RED], size = 224 }
            backbone {|#0:qwen2_5_3b|}
            decoder  fcn
            head     segmentation { num_classes = 2 }
        }
        """,
        d => Assert.Contains("'qwen2_5_3b' is a language model", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1103"));

    [Fact]
    public Task AnImageEncoderAsTheLanguageModelShowsTheCompositionThatWorks() => TestHelper.AnalyzeModelAsync(
        Vlm(languageModel: "{|#0:intern_vit_6b_448px_v1_5|}"),
        d =>
        {
            Assert.Contains("'intern_vit_6b_448px_v1_5' is an image encoder", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("'vision intern_vit_6b_448px_v1_5'", d.GetMessage(), StringComparison.Ordinal);
        },
        TestHelper.Diagnostic("GEO1104"));

    [Fact]
    public Task UntyingQwenEmbeddingsIsInformationWithTheCountItAdds() => TestHelper.AnalyzeModelAsync(
        Vlm(languageModel: "qwen2_5_3b { tie_word_embeddings = {|#0:false|} }"),
        // 151,936 × 2,048 = 311,164,928; Qwen2.5-3B is 3,085,938,688 tied (3.09 B published), 3,397,103,616 untied.
        d => Assert.Contains("adds the output projection (151,936 × 2,048 = 311,164,928 parameters): 3,397,103,616 parameters in all instead of 3,085,938,688", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1105"));

    [Fact]
    public Task AContextLongerThanYiWasTrainedForIsAWarning() => TestHelper.AnalyzeModelAsync(
        Vlm(languageModel: "yi_34b", context: "{|#0:8192|}"),
        d => Assert.Contains("context_length = 8,192 is longer than the 4,096 tokens 'yi_34b' was trained for", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1106"));
}
