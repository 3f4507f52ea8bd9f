using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>The in-memory raster: value checks, exact values, band lookup by name.</summary>
public sealed class GeoRasterTests
{
    [Fact]
    public void ValueTheTypeCannotHoldIsRefusedNamingBandRowAndColumn()
    {
        var pixels = new float[6];
        pixels[4] = 40000;
        var error = Assert.Throws<ArgumentException>(() => new GeoRaster(3, 2, RasterDataType.Int16, new[] { pixels }));
        Assert.Contains("Band 0 row 1 col 1", error.Message);
        Assert.Contains("40000", error.Message);
    }

    [Fact]
    public void BandOfTheWrongLengthIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new GeoRaster(3, 2, RasterDataType.Byte, new[] { new float[5] }));
        Assert.Contains("needs 6", error.Message);
    }

    [Fact]
    public void Int32ValuesBeyondFloatPrecisionAreKeptExactly()
    {
        var raster = new GeoRaster(2, 1, RasterDataType.Int32, new[] { new double[] { 16777217, int.MinValue } });
        Assert.Equal(16777217, raster.ExactValue(0, 0, 0));
        Assert.Equal(16777216f, raster[0, 0, 0]);
        Assert.Equal(int.MinValue, raster.CopyExactBand(0)[1]);
    }

    [Fact]
    public void BandIndexFindsBandsByDescriptionIgnoringCase()
    {
        var raster = new GeoRaster(1, 1, RasterDataType.Byte, new[] { new float[1], new float[1] }) with { BandDescriptions = new[] { "RED", "NIR_NARROW" } };
        Assert.Equal(1, raster.BandIndex("NIR_NARROW"));
        Assert.Equal(1, raster.BandIndex("nir_narrow"));
    }

    [Fact]
    public void UnknownBandNameFailsListingTheBands()
    {
        var raster = GeoTiffReader.Read(SampleManifest.Shared.Entry("hls_6band_int16_deflate_tiled.tif").FilePath);
        var error = Assert.Throws<GeoTiffException>(() => raster.BandIndex("NIR"));
        Assert.Contains("hls_6band_int16_deflate_tiled.tif", error.Message);
        Assert.Contains("3 NIR_NARROW", error.Message);
    }

    [Fact]
    public void ReadingChosenBandsGivesThemInTheOrderAsked()
    {
        string path = SampleManifest.Shared.Entry("s2l1c_13band_uint16_lzw_separate.tif").FilePath;
        var all = GeoTiffReader.Read(path);

        var chosen = GeoTiffReader.Read(path, new[] { 12, 3, 3 });
        var named = GeoTiffReader.Read(path, new[] { "B8A", "B02" });

        Assert.Equal(new[] { "B12", "B04", "B04" }, chosen.BandDescriptions);
        Assert.Equal(all.CopyBand(12), chosen.CopyBand(0));
        Assert.Equal(all.CopyBand(3), chosen.CopyBand(2));
        Assert.Equal(all.CopyBand(8), named.CopyBand(0));
        Assert.Equal(all.CopyBand(1), named.CopyBand(1));
    }

    [Fact]
    public void AskingForABandTheFileLacksFailsNamingTheFileAndItsBandCount()
    {
        string path = SampleManifest.Shared.Entry("s1grd_2band_float32_predictor3.tif").FilePath;
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.Read(path, new[] { 2 }));
        Assert.Contains("s1grd_2band_float32_predictor3.tif", error.Message);
        Assert.Contains("2 band(s)", error.Message);
    }

    [Fact]
    public void NoDataTheTypeCannotHoldIsKeptAndMatchesNoPixel()
    {
        var raster = new GeoRaster(2, 1, RasterDataType.Byte, new[] { new float[] { 0, 255 } }) with { NoData = -9999 };
        Assert.Equal(-9999, raster.NoData);
        Assert.False(raster.IsNoData(raster[0, 0, 0]));
        Assert.False(raster.IsNoData(raster[0, 0, 1]));
    }

    [Fact]
    public void Float32NoDataIsComparedAfterRoundingToFloat()
    {
        using var folder = new TemporaryFolder("raster");
        string path = folder.File("tenth.tif");
        var raster = new GeoRaster(2, 1, RasterDataType.Float32, new[] { new[] { 0.1f, 0.2f } }) with { NoData = 0.1 };

        GeoTiffWriter.Write(path, raster);
        var back = GeoTiffReader.Read(path);

        Assert.Equal(0.1, back.NoData);
        Assert.True(back.IsNoData(back[0, 0, 0]));
        Assert.False(back.IsNoData(back[0, 0, 1]));
    }
}
