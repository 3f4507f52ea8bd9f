using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Tests.Backbones.VisionTransformer;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>
/// Learnable parameter counts of the real-size ConvNeXts, built on the meta device with torchvision's 1000-class
/// <c>classifier</c>: the module, the front end's closed form (+ the classifier's 2·C + 1000·C + 1000) and torchvision
/// 0.14's own count (the header of each <c>bench/keys</c> file) agree; backbone-facts.md's verified counts are
/// convnext_tiny 28,589,128 and convnext_base 88,591,464.
/// </summary>
public sealed class ConvNeXtParameterCountTests
{
    private static long ClassifierParameters(long channels) => (2 * channels) + (1000 * channels) + 1000;

    [Theory]
    [MemberData(nameof(ConvNeXtTestModels.Variants), MemberType = typeof(ConvNeXtTestModels))]
    public void TheFrontEndCountPlusTorchvisionsClassifierEqualsTheModulesCountAndTorchvisions(string backbone)
    {
        var arch = ConvNeXtTestModels.Architecture(backbone);
        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);

        Assert.Equal(ConvNeXtBackbone.CountParameters(arch) + ClassifierParameters(arch.Dims[^1]), model.LearnableParameterCount());
        Assert.Equal(TorchvisionKeyList.Read(backbone).Parameters, model.LearnableParameterCount());
    }

    [Theory]
    [InlineData("convnext_tiny", 28_589_128)]
    [InlineData("convnext_base", 88_591_464)]
    public void ThePublishedCountsOfBackboneFactsAreReproducedExactly(string backbone, long expected)
    {
        var arch = ConvNeXtTestModels.Architecture(backbone);
        Assert.Equal(expected, ConvNeXtBackbone.CountParameters(arch) + ClassifierParameters(arch.Dims[^1]));

        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);
        Assert.Equal(expected, model.LearnableParameterCount());
    }

    [Fact]
    public void TheCountDoesNotDependOnTheImageSizeButOnTheBands()
    {
        var rgb = ConvNeXtTestModels.Architecture("convnext_tiny");
        var large = ConvNeXtTestModels.Architecture("convnext_tiny", size: "512");
        var thirteen = ConvNeXtTestModels.Architecture("convnext_tiny",
            bands: "COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, CIRRUS, SWIR_1, SWIR_2");
        Assert.Equal(ConvNeXtBackbone.CountParameters(rgb), ConvNeXtBackbone.CountParameters(large));
        Assert.Equal(10L * 4 * 4 * 96, ConvNeXtBackbone.CountParameters(thirteen) - ConvNeXtBackbone.CountParameters(rgb));

        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(thirteen), device: torch.META);
        Assert.Equal(ConvNeXtBackbone.CountParameters(thirteen), model.LearnableParameterCount());
    }
}
