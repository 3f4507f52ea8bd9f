using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// Learnable parameter counts of the real-size ViTs, built on the meta device with torchvision's 1000-class
/// <c>heads.head</c>: the module, the front end's closed form (+ 1000·D + 1000 for the head) and torchvision 0.14's own
/// count (the header of each <c>bench/keys</c> file) agree. backbone-facts.md §B gives vit_b_16 86,567,656,
/// vit_l_16 304,326,632, vit_h_14 at 518 px 633,470,440 (verified with torchvision) and ViT-S/16 22,050,664 (computed).
/// </summary>
public sealed class VisionTransformerParameterCountTests
{
    private static long ClassifierParameters(long width) => (1000 * width) + 1000;

    [Theory]
    [MemberData(nameof(VisionTransformerTestModels.Variants), MemberType = typeof(VisionTransformerTestModels))]
    public void TheFrontEndCountPlusTorchvisionsHeadEqualsTheModulesCountAndTorchvisions(string backbone, string keyList, int imageSize)
    {
        var arch = VisionTransformerTestModels.Architecture(backbone, VisionTransformerTestModels.ImageSizeArgument(imageSize));
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);

        long frontEnd = VisionTransformerBackbone.CountParameters(arch) + ClassifierParameters(arch.HiddenDim);
        Assert.Equal(frontEnd, model.LearnableParameterCount());
        Assert.Equal(TorchvisionKeyList.Read(keyList).Parameters, model.LearnableParameterCount());
    }

    [Theory]
    [InlineData("vit_b_16", "", 86_567_656)]
    [InlineData("vit_l_16", "", 304_326_632)]
    [InlineData("vit_h_14", "image_size = 518", 633_470_440)]
    [InlineData("vit_small_patch16", "", 22_050_664)]
    public void ThePublishedCountsOfBackboneFactsAreReproducedExactly(string backbone, string arguments, long expected)
    {
        var arch = VisionTransformerTestModels.Architecture(backbone, arguments);
        Assert.Equal(expected, VisionTransformerBackbone.CountParameters(arch) + ClassifierParameters(arch.HiddenDim));

        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);
        Assert.Equal(expected, model.LearnableParameterCount());
    }

    [Fact]
    public void TheLearnedPositionsFollowTheModelsInputSizeUnlessImageSizeIsSet()
    {
        // 512 px with patch 16 stores 1 + 32² positions; image_size = 224 keeps torchvision's 1 + 14².
        var atInput = VisionTransformerTestModels.Architecture("vit_b_16", size: 512);
        var atWeights = VisionTransformerTestModels.Architecture("vit_b_16", "image_size = 224", size: 512);
        Assert.Equal((32 * 32 - 14 * 14) * 768L, VisionTransformerBackbone.CountParameters(atInput) - VisionTransformerBackbone.CountParameters(atWeights));
        Assert.Equal(86_567_656 - 769_000, VisionTransformerBackbone.CountParameters(atWeights));
    }

    [Fact]
    public void EveryInputBandAddsOnePatchOfWeightsToConvProj()
    {
        var rgb = VisionTransformerTestModels.Architecture("vit_b_16");
        var six = VisionTransformerTestModels.Architecture("vit_b_16", bands: "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2");
        Assert.Equal(3L * 16 * 16 * 768, VisionTransformerBackbone.CountParameters(six) - VisionTransformerBackbone.CountParameters(rgb));

        using var model = new TorchvisionViT(TorchvisionViTOptions.From(six), device: torch.META);
        Assert.Equal(VisionTransformerBackbone.CountParameters(six), model.LearnableParameterCount());
    }

    [Fact]
    public void BothSpellingsOfAVariantShareTheDescriptorTypeAndTheCount()
    {
        var timm = VisionTransformerTestModels.Descriptor("vit_large_patch16");
        var tv = VisionTransformerTestModels.Descriptor("vit_l_16");
        Assert.Same(timm.Variant, tv.Variant);
        Assert.Equal(timm.GetType(), tv.GetType());
        Assert.Equal(
            VisionTransformerBackbone.CountParameters(VisionTransformerTestModels.Architecture("vit_large_patch16")),
            VisionTransformerBackbone.CountParameters(VisionTransformerTestModels.Architecture("vit_l_16")));
    }
}
