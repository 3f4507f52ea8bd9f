using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>Compares what the reader gives with every field a manifest entry states.</summary>
public static class ManifestAssertions
{
    public static void FileMatchesManifest(SampleManifestEntry expected)
    {
        string fileName = expected.FileName;
        string path = expected.FilePath;

        Assert.Equal(expected.FileBytes, new FileInfo(path).Length);

        var info = GeoTiffReader.ReadInfo(path);
        StorageMatchesCreationOptions(expected, info.Storage);

        var raster = GeoTiffReader.Read(path);
        Assert.Equal(expected.Width, raster.Width);
        Assert.Equal(expected.Height, raster.Height);
        Assert.Equal(expected.Bands, raster.BandCount);
        Assert.Equal(expected.DataType, raster.DataType.ToString());
        Assert.Equal(expected.Epsg, raster.Epsg);
        Assert.NotNull(raster.GeoTransform);
        AssertClose(expected.GeoTransform, raster.GeoTransform!.Value.ToGdal(), "geotransform");
        Assert.Equal(expected.NoData, raster.NoData);

        IReadOnlyList<string?> descriptions = (IReadOnlyList<string?>?)expected.BandDescriptions ?? new string?[expected.Bands];
        Assert.Equal(descriptions, raster.BandDescriptions);

        for (int band = 0; band < raster.BandCount; band++)
        {
            double[] values = raster.CopyExactBand(band);
            double sum = 0;
            long nodataPixels = 0;
            foreach (double value in values)
            {
                if (raster.IsNoData(value))
                {
                    nodataPixels++;
                }
                else
                {
                    sum += value;
                }
            }

            Assert.True(nodataPixels == expected.NoDataPixelsPerBand[band],
                $"{fileName} band {band}: {nodataPixels} nodata pixels, manifest says {expected.NoDataPixelsPerBand[band]}");
            double tolerance = 1e-9 * Math.Max(1, Math.Abs(expected.BandSumsExcludingNoData[band]));
            Assert.True(Math.Abs(sum - expected.BandSumsExcludingNoData[band]) <= tolerance,
                $"{fileName} band {band}: sum {sum:R}, manifest says {expected.BandSumsExcludingNoData[band]:R}");
        }

        foreach (var probe in expected.PixelProbes)
        {
            Assert.True(probe.Value.Equals(raster.ExactValue(probe.Band, probe.Row, probe.Col)),
                $"{fileName} band {probe.Band} row {probe.Row} col {probe.Col}: {raster.ExactValue(probe.Band, probe.Row, probe.Col):R}, manifest says {probe.Value:R}");
            Assert.Equal((float)probe.Value, raster[probe.Band, probe.Row, probe.Col]);
        }
    }

    /// <summary>The layout GDAL was asked for (creation options) is the layout the reader reports.</summary>
    private static void StorageMatchesCreationOptions(SampleManifestEntry expected, TiffStorageLayout storage)
    {
        bool tiled = expected.Option("TILED") == "YES";
        Assert.Equal(tiled, storage.IsTiled);
        if (tiled)
        {
            Assert.Equal(int.Parse(expected.Option("BLOCKXSIZE") ?? "256"), storage.BlockWidth);
            Assert.Equal(int.Parse(expected.Option("BLOCKYSIZE") ?? "256"), storage.BlockHeight);
        }
        else
        {
            Assert.Equal(expected.Width, storage.BlockWidth);
            if (expected.Option("BLOCKYSIZE") is { } rowsPerStrip)
            {
                Assert.Equal(int.Parse(rowsPerStrip), storage.BlockHeight);
            }
        }

        var compression = expected.Option("COMPRESS") switch
        {
            null => GeoTiffCompression.None,
            "DEFLATE" => GeoTiffCompression.Deflate,
            "LZW" => GeoTiffCompression.Lzw,
            "ZSTD" => GeoTiffCompression.Zstd,
            "PACKBITS" => GeoTiffCompression.PackBits,
            var other => throw new InvalidOperationException($"The manifest names compression {other}, which this test does not know."),
        };
        Assert.Equal(compression, storage.Compression);
        Assert.Equal((GeoTiffPredictor)int.Parse(expected.Option("PREDICTOR") ?? "1"), storage.Predictor);

        // GDAL's default interleave is PIXEL; one band is stored the same either way.
        var interleave = expected.Option("INTERLEAVE") == "BAND" && expected.Bands > 1 ? GeoTiffInterleave.Band : GeoTiffInterleave.Pixel;
        Assert.Equal(interleave, storage.Interleave);
        Assert.Equal(expected.Option("BIGTIFF") == "YES", storage.IsBigTiff);
        Assert.Equal(expected.Option("ENDIANNESS") == "BIG", storage.IsBigEndian);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
