using Microsoft.CodeAnalysis;

namespace GeoDsl.CodeFixes.Tests;

/// <summary>
/// GEO2001's fixes: the largest batch that fits, gradient checkpointing, bf16, a frozen backbone. Prithvi-EO-2.0-300M
/// + UNet at batch 32 in fp32 needs about 21 GiB, over a T4's 16 GiB; each of these fixes alone fits (the fixed
/// model reports no GEO2001), and batch 25 does not (so 24 is the largest).
/// </summary>
public sealed class MemoryFixTests
{
    private static string Class(string train, string target = "\"{|GEO2001:t4|}\"") => $$"""
        using GeoDsl;

        [GeoModel("segmentation")]
        [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]")]
        [GeoBackbone("prithvi_eo_v2_300")]
        [GeoNeck("select_indices", "indices = [5, 11, 17, 23]")]
        [GeoNeck("reshape_tokens_to_image")]
        [GeoNeck("learned_interpolate_to_pyramidal")]
        [GeoDecoder("unet", "channels = [512, 256, 128, 64]")]
        [GeoHead("segmentation", "num_classes = 2")]
        [GeoTrain({{train}})]
        [GeoTarget({{target}})]
        public partial class BigMapper
        {
        }
        """;

    private static string File(string train, string target = "t4") => $$"""
        model BigMapper : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_v2_300
            neck select_indices { indices = [5, 11, 17, 23] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [512, 256, 128, 64] }
            head segmentation { num_classes = 2 }
        {{train}}    target {{target}}
        }
        """;

    [Fact]
    public Task TheLargestBatchThatFitsReplacesTheBatchSize() => FixVerifier.FixClassAsync(
        Class("\"batch_size = 32\""),
        Class("\"batch_size = 24\"", "\"{|#0:t4|}\""),
        "Set batch_size = 24",
        // 24 fits, within 10% of the budget: the warning that says so stays.
        FixVerifier.Diagnostic("GEO2002", DiagnosticSeverity.Warning));

    [Fact]
    public void OneMoreThanTheOfferedBatchDoesNotFit()
    {
        var file = Composition.GeoModelCompiler.Compile("big.geomodel", File("    train { batch_size = 25 }\n"));
        Assert.Contains(file.Diagnostics, d => d.Id == "GEO2001");
    }

    [Fact]
    public Task GradientCheckpointingIsAddedToTheTrainAttribute() => FixVerifier.FixClassAsync(
        Class("\"batch_size = 32\""),
        Class("\"batch_size = 32, gradient_checkpointing = true\"", "\"t4\""),
        "Set gradient_checkpointing = true");

    [Fact]
    public Task Bf16IsAddedToAMultiLineTrainBlock() => FixVerifier.FixModelFileAsync(
        File("    train {\n        batch_size = 32\n    }\n", "{|GEO2001:t4|}"),
        File("    train {\n        batch_size = 32\n        precision = bf16_mixed\n    }\n"),
        "Set precision = bf16_mixed");

    [Fact]
    public Task FreezingTheBackboneIsAddedToAOneLineTrainBlock() => FixVerifier.FixModelFileAsync(
        File(string.Empty, "{|GEO2001:t4|}").Replace("    target", "    train { batch_size = 32 }\n    target", StringComparison.Ordinal),
        File("    train { batch_size = 32, freeze_backbone = true }\n"),
        "Set freeze_backbone = true");
}
