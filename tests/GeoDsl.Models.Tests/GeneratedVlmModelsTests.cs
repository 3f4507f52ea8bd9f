using GeoDsl.Models.Vlm;

namespace GeoDsl.Models.Tests;

/// <summary>
/// The vlm reference models as the generator emitted them into this project: each InternVL2 size's class carries the
/// parameter count of its model card (InternVL2 README / HF cards, backbone-facts.md §C3) and the fine-tuning modes.
/// </summary>
public sealed class GeneratedVlmModelsTests
{
    [Fact]
    public void EveryInternVlTwoClassHasItsPublishedSize()
    {
        // 0.9 / 2.2 / 4.2 / 8.1 / 25.5 / 40 / 76 B; 1B's card rounds 0.94 B, hence its wider tolerance.
        AssertSize(InternVL2_1B.TotalParameters, 0.9e9, 0.06);
        AssertSize(InternVL2_2B.TotalParameters, 2.2e9, 0.02);
        AssertSize(InternVL2_4B.TotalParameters, 4.2e9, 0.02);
        AssertSize(InternVL2_8B.TotalParameters, 8.1e9, 0.01);
        AssertSize(InternVL2_26B.TotalParameters, 25.5e9, 0.01);
        AssertSize(InternVL2_40B.TotalParameters, 40e9, 0.01);
        AssertSize(InternVL2_Llama3_76B.TotalParameters, 76e9, 0.01);
    }

    [Fact]
    public void SixTilesAndAThumbnailOf448PixelsAre1792VisualTokensInEveryInternVlTwoClass()
    {
        // (448 / 14)² = 1024 patches per tile; a 2×2 pixel shuffle gives 256; 6 tiles + the thumbnail = 7 × 256.
        Assert.Equal(256, InternVL2_8B.VisualTokensPerTile);
        Assert.Equal(1792, InternVL2_8B.VisualTokensPerSample);
        Assert.Equal(1792, InternVL2_Llama3_76B.VisualTokensPerSample);
    }

    [Fact]
    public void TheGeneratedFineTuningModesAreTheOnesTheDeclaredModeIsAmong()
    {
        // InternVL2_8B declares QLoRA on the language model; that mode's trainable count is the class's.
        var declared = InternVL2_8B.FineTuning.Single(m => m.Mode.StartsWith("QLoRA", StringComparison.Ordinal) && m.Mode.EndsWith("language model", StringComparison.Ordinal));
        Assert.Equal(InternVL2_8B.TrainableParameters, declared.TrainableParameters);
        Assert.Equal(InternVL2_8B.TrainingDeviceBytes, declared.DeviceBytes);
        Assert.Contains("model InternVL2_8B : vlm", InternVL2_8B.CanonicalSource, StringComparison.Ordinal);
    }

    private static void AssertSize(long total, double published, double tolerance) =>
        Assert.InRange(total, published * (1 - tolerance), published * (1 + tolerance));
}
