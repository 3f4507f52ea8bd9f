using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>A window reads exactly the pixels of that part of the file (checked against the whole-file read, itself checked against GDAL's manifest).</summary>
public sealed class WindowedReadTests
{
    [Theory]
    [MemberData(nameof(SampleManifest.SharedReadableFiles), MemberType = typeof(SampleManifest))]
    public void WindowsAcrossBlockBordersEqualThatPartOfTheWholeFile(string fileName)
    {
        string path = SampleManifest.Shared.Entry(fileName).FilePath;
        var whole = GeoTiffReader.Read(path);
        // Windows that start inside a block, cross block borders and reach the last column and row.
        var windows = new[]
        {
            new RasterWindow(0, 0, 1, 1),
            new RasterWindow(whole.Width / 3, whole.Height / 4, whole.Width / 2, whole.Height / 2),
            new RasterWindow(whole.Width - 17, whole.Height - 9, 17, 9),
        };
        var bands = new[] { whole.BandCount - 1, 0 };

        using var reader = GeoTiffWindowReader.Open(path);
        foreach (var window in windows)
        {
            var part = reader.Read(window, bands);
            Assert.Equal((window.Width, window.Height), (part.Width, part.Height));
            for (int b = 0; b < bands.Length; b++)
            {
                for (int row = 0; row < window.Height; row++)
                {
                    for (int col = 0; col < window.Width; col++)
                    {
                        Assert.Equal(whole.ExactValue(bands[b], window.Row + row, window.Column + col), part.ExactValue(b, row, col));
                    }
                }
            }
        }
    }

    [Fact]
    public void WindowKeepsTheCrsAndMovesTheGeotransformToItsCorner()
    {
        // hls_6band: origin (399960, 5000040), 30 m pixels; the window's corner is 40 columns right and 10 rows down.
        var part = GeoTiffReader.ReadWindow(SampleManifest.Shared.Entry("hls_6band_int16_deflate_tiled.tif").FilePath, new RasterWindow(40, 10, 8, 8));

        Assert.Equal(new GeoTransform(399960 + 40 * 30, 30, 0, 5000040 - 10 * 30, 0, -30), part.GeoTransform);
        Assert.Equal(32633, part.Epsg);
        Assert.Equal(-9999, part.NoData);
        Assert.Equal("BLUE", part.BandDescriptions[0]);
    }

    [Fact]
    public void WindowOfATruncatedFileReadsTheIntactTilesAndRefusesTheMissingOnes()
    {
        // The truncated file is the first half of hls_6band_int16_deflate_tiled.tif (128×128 tiles).
        var truncated = SampleManifest.Shared.Failing.Single(f => f.FileName == "truncated_hls_6band.tif");
        string intact = SampleManifest.Shared.Entry("hls_6band_int16_deflate_tiled.tif").FilePath;
        var firstTile = new RasterWindow(3, 5, 100, 100);

        var part = GeoTiffReader.ReadWindow(truncated.FilePath, firstTile);
        var expected = GeoTiffReader.ReadWindow(intact, firstTile);
        for (int band = 0; band < 6; band++)
        {
            Assert.Equal(expected.CopyBand(band), part.CopyBand(band));
        }

        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.ReadWindow(truncated.FilePath, new RasterWindow(200, 200, 40, 40)));
        Assert.Contains("truncated_hls_6band.tif", error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("rows 128–255, cols 128–255", error.Message);
    }

    [Fact]
    public void WindowOutsideTheRasterIsRefusedNamingTheFileAndItsSize()
    {
        string path = SampleManifest.Shared.Entry("s1grd_2band_float32_predictor3.tif").FilePath;

        var error = Assert.Throws<GeoTiffException>(() => GeoTiffReader.ReadWindow(path, new RasterWindow(90, 0, 10, 10)));

        Assert.Contains("s1grd_2band_float32_predictor3.tif", error.Message);
        Assert.Contains("96×64", error.Message);
    }
}
