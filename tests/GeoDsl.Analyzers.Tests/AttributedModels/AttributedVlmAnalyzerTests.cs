using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.AttributedModels;

/// <summary><c>[GeoModel("vlm")]</c> classes get the vlm checks of the text form, reported inside the attribute's argument.</summary>
public sealed class AttributedVlmAnalyzerTests
{
    private static string Vlm(string projector = "\"pixel_shuffle_mlp\"", string languageModel = "\"qwen2_5_3b\"", string text = "\"context_length = 4096\"") => $$"""
        using GeoDsl;

        namespace Demo
        {
            [GeoModel("vlm")]
            [GeoVision("intern_vit_300m_448px")]
            [GeoProjector({{projector}})]
            [GeoLanguageModel({{languageModel}})]
            [GeoImages("max_tiles = 6")]
            [GeoText({{text}})]
            [GeoTrain("gradient_checkpointing = true, language_model = qlora { r = 16 }")]
            [GeoTarget("h200")]
            public partial class EarthVlm
            {
            }
        }
        """;

    [Fact]
    public Task AValidAttributedVlmHasNoDiagnostics() => TestHelper.AnalyzeClassAsync(Vlm());

    [Fact]
    public Task AProjectorWidthMismatchIsReportedOnTheNumberInTheArgument() => TestHelper.AnalyzeClassAsync(
        Vlm(projector: "\"pixel_shuffle_mlp\", \"out_features = {|#0:896|}\""),
        d => Assert.Contains("out_features = 896, but language model 'qwen2_5_3b' gives hidden states 2,048 wide", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1101"));

    [Fact]
    public Task AContextTooShortForTheVisualTokensIsReportedOnTheNumber() =>
        TestHelper.AnalyzeClassAsync(Vlm(text: "\"context_length = {|GEO1102:1024|}\""));

    [Fact]
    public Task AnImageEncoderAsTheLanguageModelIsReportedOnItsName() =>
        TestHelper.AnalyzeClassAsync(Vlm(languageModel: "\"{|GEO1104:intern_vit_6b_448px_v1_5|}\""));
}
