using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Composition.Tests.Catalog.ResNet;

/// <summary>
/// The ResNet entries carry TerraTorch's registry names (terratorch/models/backbones/torchgeo_resnet.py @42f140dd) and
/// the band orders of the weights they name (torchgeo resnet.py / swin.py meta['bands']), in canonical band names.
/// </summary>
public sealed class ResNetCatalogEntriesTests
{
    private static readonly string[] Expected =
    {
        "resnet18", "resnet50", "resnet101",
        "satlas_resnet50_sentinel2_mi_ms_satlas", "satlas_resnet50_sentinel2_mi_rgb_satlas",
        "satlas_resnet50_sentinel2_si_ms_satlas", "satlas_resnet50_sentinel2_si_rgb_satlas",
        "satlas_resnet152_sentinel2_mi_ms", "satlas_resnet152_sentinel2_mi_rgb",
        "satlas_resnet152_sentinel2_si_ms_satlas", "satlas_resnet152_sentinel2_si_rgb_satlas",
        "ssl4eos12_resnet18_sentinel2_all_moco", "ssl4eos12_resnet18_sentinel2_rgb_moco",
        "ssl4eos12_resnet50_sentinel1_all_decur", "ssl4eos12_resnet50_sentinel1_all_moco",
        "ssl4eos12_resnet50_sentinel2_all_decur", "ssl4eos12_resnet50_sentinel2_all_dino",
        "ssl4eos12_resnet50_sentinel2_all_moco", "ssl4eos12_resnet50_sentinel2_rgb_moco",
        "ssl4eol_resnet18_landsat_tm_toa_moco", "ssl4eol_resnet18_landsat_tm_toa_simclr",
        "ssl4eol_resnet18_landsat_etm_toa_moco", "ssl4eol_resnet18_landsat_etm_toa_simclr",
        "ssl4eol_resnet18_landsat_etm_sr_moco", "ssl4eol_resnet18_landsat_etm_sr_simclr",
        "ssl4eol_resnet18_landsat_oli_tirs_toa_moco", "ssl4eol_resnet18_landsat_oli_tirs_toa_simclr",
        "ssl4eol_resnet18_landsat_oli_sr_moco", "ssl4eol_resnet18_landsat_oli_sr_simclr",
        "ssl4eol_resnet50_landsat_tm_toa_moco", "ssl4eol_resnet50_landsat_tm_toa_simclr",
        "ssl4eol_resnet50_landsat_etm_toa_moco", "ssl4eol_resnet50_landsat_etm_toa_simclr",
        "ssl4eol_resnet50_landsat_etm_sr_moco", "ssl4eol_resnet50_landsat_etm_sr_simclr",
        "ssl4eol_resnet50_landsat_oli_tirs_toa_moco", "ssl4eol_resnet50_landsat_oli_tirs_toa_simclr",
        "ssl4eol_resnet50_landsat_oli_sr_moco", "ssl4eol_resnet50_landsat_oli_sr_simclr",
    };

    [Fact]
    public void TheCatalogHasExactlyTerraTorchsResNetNames()
    {
        var names = ComponentCatalog.Default.Backbones.OfType<ResNetBackbone>().Select(b => b.Name);
        Assert.Equal(Expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryPretrainedBandIsACanonicalBandName()
    {
        foreach (var backbone in ComponentCatalog.Default.Backbones.OfType<ResNetBackbone>())
        {
            Assert.All(backbone.PretrainedBands, band => Assert.Equal(band, Bands.Find(band)?.Name));
        }
    }

    [Theory]
    [InlineData("satlas_resnet50_sentinel2_si_rgb_satlas", "RED,GREEN,BLUE")]
    [InlineData("satlas_resnet152_sentinel2_mi_ms", "RED,GREEN,BLUE,RED_EDGE_1,RED_EDGE_2,RED_EDGE_3,NIR_BROAD,SWIR_1,SWIR_2")]
    [InlineData("ssl4eos12_resnet50_sentinel1_all_decur", "VV,VH")]
    [InlineData("ssl4eos12_resnet18_sentinel2_rgb_moco", "RED,GREEN,BLUE")]
    [InlineData("ssl4eos12_resnet50_sentinel2_all_dino",
        "COASTAL_AEROSOL,BLUE,GREEN,RED,RED_EDGE_1,RED_EDGE_2,RED_EDGE_3,NIR_BROAD,NIR_NARROW,WATER_VAPOR,CIRRUS,SWIR_1,SWIR_2")]
    [InlineData("ssl4eol_resnet18_landsat_etm_toa_simclr",
        "BLUE,GREEN,RED,NIR_BROAD,SWIR_1,THERMAL_INFRARED_LOW_GAIN,THERMAL_INFRARED_HIGH_GAIN,SWIR_2,PANCHROMATIC")]
    [InlineData("ssl4eol_resnet50_landsat_oli_sr_moco", "COASTAL_AEROSOL,BLUE,GREEN,RED,NIR_NARROW,SWIR_1,SWIR_2")]
    [InlineData("resnet101", "RED,GREEN,BLUE")]
    public void EachEntryNamesTheBandsOfItsWeightsInOrder(string name, string bands) =>
        Assert.Equal(bands.Split(','), ComponentCatalog.Default.FindBackbone(name)!.PretrainedBands);

    [Theory]
    [InlineData("resnet18", 18, 224, false)]
    [InlineData("satlas_resnet152_sentinel2_si_rgb_satlas", 152, 256, false)]
    [InlineData("satlas_resnet50_sentinel2_mi_ms_satlas", 50, 256, true)]
    [InlineData("ssl4eol_resnet50_landsat_etm_sr_moco", 50, 224, false)]
    public void DepthDefaultSizeAndFrameHandlingFollowTheWeights(string name, int depth, int size, bool multiImage)
    {
        var backbone = (ResNetBackbone)ComponentCatalog.Default.FindBackbone(name)!;
        Assert.Equal(depth, backbone.Variant.Depth);
        Assert.Equal(size, backbone.DefaultImageSize);
        Assert.Equal(multiImage, backbone.HandlesFrames);
        Assert.Equal("GeoDsl.Runtime.Backbones.ResNet.ResNetEncoder", backbone.RuntimeType);
    }
}
