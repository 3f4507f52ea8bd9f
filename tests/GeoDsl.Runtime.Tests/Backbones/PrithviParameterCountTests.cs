using GeoDsl.Runtime.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// Learnable parameter counts of the published encoders (6 bands, 1 frame), built on the meta device so no weights are
/// allocated. They match backbone-facts.md §A1 (86.2 M, 303.9 M, 631.2 M) and the closed form: patch C·t·p²·D + D,
/// cls D, per block 12D² + 13D (MLP 4D), final norm 2D; pos_embed is a buffer and not counted. For 600M (patch 14):
/// 6·196·1280 + 1280 + 1280 + 32·19,677,440 + 2560 = 631,188,480.
/// </summary>
public sealed class PrithviParameterCountTests
{
    public static TheoryData<string, long> Published => new()
    {
        { "prithvi_eo_v1_100", 86_237_184 },
        { "prithvi_eo_v2_300", 303_886_336 },
        { "prithvi_eo_v2_600", 631_188_480 },
        { "prithvi_eo_tiny", 3_553_280 },
    };

    private static PrithviViTOptions OptionsFor(string name) => name switch
    {
        "prithvi_eo_v1_100" => PrithviTestModels.EoV1100,
        "prithvi_eo_v2_300" => PrithviTestModels.EoV2300,
        "prithvi_eo_v2_600" => PrithviTestModels.EoV2600,
        "prithvi_eo_tiny" => PrithviTestModels.EoTiny,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void ThePublishedEncoderHasTheExactLearnableParameterCount(string name, long expected)
    {
        using var model = new PrithviViT(OptionsFor(name), name, device: torch.META);
        Assert.Equal(expected, model.LearnableParameterCount());
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void TheTlVariantAddsExactlyTwoLearnedScales(string name, long expected)
    {
        using var model = new PrithviViT(OptionsFor(name).WithTl(), name + "_tl", device: torch.META);
        Assert.Equal(expected + 2, model.LearnableParameterCount());
    }

    [Fact]
    public void FixedCoordinateScalesAddNoLearnableParameters()
    {
        var options = PrithviTestModels.EoV1100 with { TimeEncoding = true, LocationEncoding = true, CoordsScaleLearn = false };
        using var model = new PrithviViT(options, device: torch.META);
        Assert.Equal(86_237_184, model.LearnableParameterCount());
    }

    [Fact]
    public void TheV2TinyTlEncoderHasItsClosedFormCount()
    {
        // 192/12/3, patch 16, 6 bands: 295,104 + 192 + 12 × 444,864 + 384 = 5,634,048, + 2 scales.
        using var model = new PrithviViT(PrithviTestModels.EoV2TinyTl, device: torch.META);
        Assert.Equal(5_634_050, model.LearnableParameterCount());
    }

    [Fact]
    public void APosEmbedOfThe600MEncoderCoversOneFrameOf16By16PatchesPlusTheClassToken()
    {
        using var model = new PrithviViT(PrithviTestModels.EoV2600, device: torch.META);
        Assert.Equal(new long[] { 1, 257, 1280 }, model.state_dict()["pos_embed"].shape);
        Assert.True(model.state_dict()["pos_embed"].is_meta);
    }
}
