using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Catalog.ResNet;

/// <summary>
/// Closed-form ResNet counts: torchvision's verified totals (backbone-facts.md, torchvision 0.14.1) less the 1000-class
/// fc for the catalog's feature extractors, the totals themselves with the classifier, and the stem's share per band.
/// </summary>
public sealed class ResNetParameterCountTests
{
    private static readonly string[] Rgb = { "RED", "GREEN", "BLUE" };

    private static InputSpec Input(IReadOnlyList<string> bands) =>
        new(bands.ToEquatableArray(), 224, 224, 1, EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    private static ArgumentList Defaults(ComponentDescriptor descriptor) => new(descriptor.Parameters
        .Where(p => p.Default is not null and not NoneValue)
        .Select(p => new Argument(p.Name, p.Default!)).ToEquatableArray());

    private static ResNetBackbone Find(string name) => (ResNetBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    [Theory]
    [InlineData("resnet18", 11_689_512L)]
    [InlineData("resnet50", 25_557_032L)]
    [InlineData("resnet101", 44_549_160L)]
    public void TheFeatureExtractorIsTorchvisionsVerifiedCountLessTheClassifier(string name, long torchvision)
    {
        var backbone = Find(name);
        long classifier = (backbone.Variant.Block == ResNetBlock.Basic ? 512 : 2048) * 1000L + 1000;
        Assert.Equal(torchvision - classifier, backbone.CountParameters(Input(Rgb), Defaults(backbone)));
        Assert.Equal(torchvision, ResNetBackbone.CountParameters(backbone.Resolve(Input(Rgb), Defaults(backbone)), classes: 1000));
    }

    [Fact]
    public void ResNet152FeatureExtractorOfTheSatlasEntries()
    {
        // torchvision resnet152: 60,192,808 with fc (bench/keys/resnet152.txt) − 2,049,000 = 58,143,808 for RGB.
        var backbone = Find("satlas_resnet152_sentinel2_si_rgb_satlas");
        Assert.Equal(58_143_808, backbone.CountParameters(Input(Rgb), Defaults(backbone)));
    }

    [Fact]
    public void EachBandAddsOneStemFilterSlice()
    {
        var backbone = Find("ssl4eos12_resnet50_sentinel2_all_moco");
        long thirteen = backbone.CountParameters(Input(backbone.PretrainedBands), Defaults(backbone));
        Assert.Equal(23_508_032 + (10 * 64 * 49), thirteen);
    }
}
