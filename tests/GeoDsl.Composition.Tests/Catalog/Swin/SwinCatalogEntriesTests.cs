using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Composition.Tests.Catalog.Swin;

/// <summary>
/// The catalog's Swin entries: torchvision's four builders, TerraTorch's 14 Satlas names (torchgeo_swin_satlas.py) with the
/// band order of the weights each defaults to (torchgeo swin.py <c>meta["bands"]</c>), and the two Prithvi-Swin encoders,
/// each naming the runtime class that implements it.
/// </summary>
public sealed class SwinCatalogEntriesTests
{
    private static BackboneDescriptor Find(string name) => ComponentCatalog.Default.FindBackbone(name) ?? throw new InvalidOperationException(name + " is missing");

    [Fact]
    public void EveryTorchvisionSatlasAndPrithviSwinIsInTheCatalog()
    {
        var names = ComponentCatalog.Default.Backbones.Select(b => b.Name).ToHashSet();
        var expected = new[]
        {
            "swin_t", "swin_b", "swin_v2_t", "swin_v2_b",
            "satlas_swin_t_sentinel2_mi_ms", "satlas_swin_t_sentinel2_mi_rgb", "satlas_swin_t_sentinel2_si_ms", "satlas_swin_t_sentinel2_si_rgb",
            "satlas_swin_b_sentinel2_mi_ms", "satlas_swin_b_sentinel2_mi_rgb", "satlas_swin_b_sentinel2_si_ms", "satlas_swin_b_sentinel2_si_rgb",
            "satlas_swin_b_naip_mi_rgb", "satlas_swin_b_naip_si_rgb", "satlas_swin_b_landsat_mi_ms", "satlas_swin_b_landsat_mi_rgb",
            "satlas_swin_b_sentinel1_mi", "satlas_swin_b_sentinel1_si",
            "prithvi_swin_B", "prithvi_swin_L",
        };
        Assert.All(expected, name => Assert.Contains(name, names));
    }

    [Theory]
    [InlineData("swin_t", "GeoDsl.Runtime.Backbones.Swin.SwinTransformer", 224)]
    [InlineData("swin_v2_b", "GeoDsl.Runtime.Backbones.Swin.SwinTransformer", 256)]
    [InlineData("satlas_swin_b_naip_si_rgb", "GeoDsl.Runtime.Backbones.Swin.SatlasSwinTransformer", 256)]
    [InlineData("prithvi_swin_L", "GeoDsl.Runtime.Backbones.Swin.PrithviSwinTransformer", 224)]
    public void EachEntryNamesItsRuntimeClassAndDefaultSize(string name, string runtimeType, int size)
    {
        var descriptor = Find(name);
        Assert.Equal(runtimeType, descriptor.RuntimeType);
        Assert.Equal(size, descriptor.DefaultImageSize);
        Assert.Equal(32, descriptor.PaddingMultiple(new Specs.ArgumentList(Helpers.EquatableArray<Specs.Argument>.Empty)));
    }

    [Theory]
    [InlineData("satlas_swin_t_sentinel2_si_rgb", "RED, GREEN, BLUE")]
    [InlineData("satlas_swin_b_sentinel2_mi_ms", "RED, GREEN, BLUE, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, SWIR_1, SWIR_2")]
    [InlineData("satlas_swin_b_sentinel1_si", "VH, VV")]
    [InlineData("satlas_swin_b_landsat_mi_ms", "COASTAL_AEROSOL, BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2, PANCHROMATIC, CIRRUS, THERMAL_INFRARED_1, THERMAL_INFRARED_2")]
    [InlineData("satlas_swin_b_naip_mi_rgb", "RED, GREEN, BLUE")]
    [InlineData("prithvi_swin_B", "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2")]
    [InlineData("swin_b", "RED, GREEN, BLUE")]
    public void ThePretrainedBandsAreTheWeightsBandsInTheirOrder(string name, string bands)
    {
        Assert.Equal(bands, string.Join(", ", Find(name).PretrainedBands));
        Assert.All(Find(name).PretrainedBands, band => Assert.NotNull(Bands.Find(band)));
    }

    [Fact]
    public void OnlyTheMultiImageSatlasModelsHandleFramesTheOthersOfferTemporalPooling()
    {
        foreach (var descriptor in ComponentCatalog.Default.Backbones.Where(b => b.Name.Contains("swin", StringComparison.Ordinal)))
        {
            bool multiImage = descriptor.Name.StartsWith("satlas_", StringComparison.Ordinal) && descriptor.Name.Contains("_mi", StringComparison.Ordinal);
            Assert.Equal(multiImage, descriptor.HandlesFrames);
            Assert.Equal(!multiImage, descriptor.FindParameter("temporal_pooling") is not null);
        }
    }

    [Theory]
    [InlineData("swin_t", "stochastic_depth_prob", 0.2)]
    [InlineData("swin_v2_b", "stochastic_depth_prob", 0.5)]
    [InlineData("satlas_swin_t_sentinel2_si_ms", "stochastic_depth_prob", 0.2)]
    [InlineData("prithvi_swin_B", "drop_path_rate", 0.1)]
    public void TheStochasticDepthArgumentHasTheReferencesNameAndDefault(string name, string argument, double value)
    {
        var parameter = Find(name).FindParameter(argument);
        Assert.NotNull(parameter);
        Assert.Equal(value, ((Specs.FloatValue)parameter!.Default!).Value);
    }
}
