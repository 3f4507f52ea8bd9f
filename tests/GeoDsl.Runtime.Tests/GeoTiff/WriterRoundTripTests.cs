using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>What the writer writes, the reader reads back exactly: every type, every layout, all metadata.</summary>
public sealed class WriterRoundTripTests
{
    public static readonly Dictionary<string, GeoTiffWriteOptions> Layouts = new()
    {
        ["tiled, pixel-interleaved, DEFLATE"] = GeoTiffWriteOptions.Tiles(16, 16),
        ["tiled, band-interleaved, LZW"] = GeoTiffWriteOptions.Tiles(32, 16) with { Interleave = GeoTiffInterleave.Band, Compression = GeoTiffCompression.Lzw },
        ["striped, pixel-interleaved, uncompressed"] = GeoTiffWriteOptions.Strips(5) with { Compression = GeoTiffCompression.None },
        ["striped, band-interleaved, DEFLATE without predictor"] = GeoTiffWriteOptions.Strips(7) with { Interleave = GeoTiffInterleave.Band, Predictor = GeoTiffPredictor.None },
        ["tiled, pixel-interleaved, ZSTD"] = GeoTiffWriteOptions.Tiles(16, 32) with { Compression = GeoTiffCompression.Zstd },
        ["striped, band-interleaved, ZSTD"] = GeoTiffWriteOptions.Strips(4) with { Interleave = GeoTiffInterleave.Band, Compression = GeoTiffCompression.Zstd },
        ["striped BigTIFF, LZW"] = GeoTiffWriteOptions.Strips() with { Compression = GeoTiffCompression.Lzw, BigTiff = true },
    };

    public static IEnumerable<object[]> EveryTypeAndLayout() =>
        from type in Enum.GetValues<RasterDataType>()
        from layout in Layouts.Keys
        select new object[] { type, layout };

    [Theory]
    [MemberData(nameof(EveryTypeAndLayout))]
    public void WrittenFileReadsBackWithTheSameValuesAndMetadata(RasterDataType type, string layout)
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("raster.tif");
        // 37×23 so that neither tiles nor strips divide the image evenly.
        var raster = RasterSamples.Random(type, 37, 23, 3, seed: (int)type * 100 + layout.Length) with
        {
            GeoTransform = GeoTransform.NorthUp(399960, 5000040, 30, 30),
            Epsg = 32633,
            NoData = RasterSamples.Extremes(type).Min,
            BandDescriptions = new[] { "BLUE", null, "NIR_NARROW" },
        };
        var options = Layouts[layout];

        GeoTiffWriter.Write(path, raster, options);
        var back = GeoTiffReader.Read(path);
        var info = GeoTiffReader.ReadInfo(path);

        Assert.Equal((raster.Width, raster.Height, raster.BandCount, raster.DataType), (back.Width, back.Height, back.BandCount, back.DataType));
        Assert.Equal(raster.GeoTransform, back.GeoTransform);
        Assert.Equal(32633, back.Epsg);
        Assert.Equal(raster.NoData, back.NoData);
        Assert.Equal(raster.BandDescriptions, back.BandDescriptions);
        for (int band = 0; band < raster.BandCount; band++)
        {
            Assert.Equal(raster.CopyExactBand(band), back.CopyExactBand(band));
        }

        Assert.Equal(options.Tiled, info.Storage.IsTiled);
        Assert.Equal(options.Compression, info.Storage.Compression);
        Assert.Equal(options.Interleave, info.Storage.Interleave);
        Assert.Equal(options.BigTiff == true, info.Storage.IsBigTiff);
        var expectedPredictor = options.Predictor
            ?? (options.Compression == GeoTiffCompression.None ? GeoTiffPredictor.None
                : type.IsFloatingPoint() ? GeoTiffPredictor.FloatingPoint : GeoTiffPredictor.Horizontal);
        Assert.Equal(expectedPredictor, info.Storage.Predictor);
    }

    [Fact]
    public void GeographicCrsIsWrittenAsAGeographicGeoKey()
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("mask.tif");
        var mask = new GeoRaster(8, 4, RasterDataType.Byte, new[] { new float[32] }) with
        {
            GeoTransform = GeoTransform.NorthUp(-122.5, 37.8, 0.0001, 0.0001),
            Epsg = 4326,
            NoData = 255,
        };

        GeoTiffWriter.Write(path, mask, GeoTiffWriteOptions.Default);

        var back = GeoTiffReader.Read(path);
        Assert.Equal(4326, back.Epsg);
        Assert.Equal(mask.GeoTransform, back.GeoTransform);
        Assert.Equal(255, back.NoData);
    }

    [Fact]
    public void RotatedGeotransformIsWrittenAsAModelTransformation()
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("rotated.tif");
        var transform = new GeoTransform(1000, 8, 2, 5000, 1.5, -7);
        var raster = new GeoRaster(5, 3, RasterDataType.Float32, new[] { new float[15] }) with { GeoTransform = transform, Epsg = 3857 };

        GeoTiffWriter.Write(path, raster);

        Assert.Equal(transform, GeoTiffReader.Read(path).GeoTransform);
    }

    [Fact]
    public void RasterWithoutGeoreferencingReadsBackWithout()
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("plain.tif");
        GeoTiffWriter.Write(path, new GeoRaster(4, 4, RasterDataType.UInt16, new[] { new float[16] }));

        var back = GeoTiffReader.Read(path);
        Assert.Null(back.GeoTransform);
        Assert.Null(back.Epsg);
        Assert.Null(back.NoData);
        Assert.Equal(new string?[] { null }, back.BandDescriptions);
    }

    [Fact]
    public void NanNoDataReadsBackAsNan()
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("nan.tif");
        var raster = new GeoRaster(2, 1, RasterDataType.Float32, new[] { new[] { float.NaN, 1f } }) with { NoData = double.NaN };

        GeoTiffWriter.Write(path, raster);

        var back = GeoTiffReader.Read(path);
        Assert.True(double.IsNaN(back.NoData!.Value));
        Assert.True(back.IsNoData(back[0, 0, 0]));
        Assert.False(back.IsNoData(back[0, 0, 1]));
    }

    [Fact]
    public void OptionsOverrideTheRastersBandDescriptionsAndNoData()
    {
        using var folder = new TemporaryFolder("roundtrip");
        string path = folder.File("override.tif");
        var raster = new GeoRaster(2, 2, RasterDataType.Int16, new[] { new float[4], new float[4] }) with { NoData = -1 };

        GeoTiffWriter.Write(path, raster, GeoTiffWriteOptions.Default with { BandDescriptions = new[] { "VV", "VH" }, NoData = -9999 });

        var back = GeoTiffReader.Read(path);
        Assert.Equal(new[] { "VV", "VH" }, back.BandDescriptions);
        Assert.Equal(-9999, back.NoData);
        Assert.Equal(1, back.BandIndex("VH"));
    }
}
