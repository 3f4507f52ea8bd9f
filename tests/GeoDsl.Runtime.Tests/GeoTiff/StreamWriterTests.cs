using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>A file streamed row band by row band reads back as the raster it was cut from; an unfinished one leaves nothing.</summary>
public sealed class StreamWriterTests
{
    [Theory]
    [InlineData("tiled, band-interleaved, LZW")]
    [InlineData("striped, band-interleaved, ZSTD")]
    [InlineData("tiled, pixel-interleaved, ZSTD")]
    [InlineData("striped, pixel-interleaved, uncompressed")]
    public void RowsWrittenInUnevenBandsReadBackAsTheWholeRaster(string layout)
    {
        using var folder = new TemporaryFolder("stream");
        var raster = RasterSamples.Random(RasterDataType.Int32, 37, 41, 3, seed: 7) with
        {
            GeoTransform = GeoTransform.NorthUp(500000, 4200000, 10, 10),
            Epsg = 32610,
            BandDescriptions = new[] { "A", "B", "C" },
        };
        string path = folder.File("streamed.tif");

        using (var writer = GeoTiffStreamWriter.Create(path, GeoRasterHeader.Of(raster), WriterRoundTripTests.Layouts[layout]))
        {
            // Bands of 1, 5, 13 and 22 rows: none lines up with the 16-row tiles or the strips.
            int row = 0;
            foreach (int rows in new[] { 1, 5, 13, 22 })
            {
                writer.WriteRows(Rows(raster, row, rows));
                row += rows;
            }

            writer.Complete();
        }

        var back = GeoTiffReader.Read(path);
        for (int band = 0; band < 3; band++)
        {
            Assert.Equal(raster.CopyExactBand(band), back.CopyExactBand(band));
        }

        Assert.Equal(raster.GeoTransform, back.GeoTransform);
        Assert.Equal(new[] { "A", "B", "C" }, back.BandDescriptions);
    }

    [Fact]
    public void WriterDisposedBeforeCompletionLeavesTheExistingFileAndNoTemporaryFile()
    {
        using var folder = new TemporaryFolder("stream-abandoned");
        string path = folder.File("scene.tif");
        File.WriteAllText(path, "the user's previous result");
        var raster = RasterSamples.Random(RasterDataType.Float32, 20, 20, 1, seed: 3);

        using (var writer = GeoTiffStreamWriter.Create(path, GeoRasterHeader.Of(raster)))
        {
            writer.WriteRows(Rows(raster, 0, 10));
            var error = Assert.Throws<InvalidOperationException>(writer.Complete);
            Assert.Contains("only 10 were written", error.Message);
        }

        Assert.Equal("the user's previous result", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void RowsOfAnotherWidthAreRefused()
    {
        using var folder = new TemporaryFolder("stream-width");
        var raster = RasterSamples.Random(RasterDataType.Byte, 20, 20, 1, seed: 3);
        using var writer = GeoTiffStreamWriter.Create(folder.File("x.tif"), GeoRasterHeader.Of(raster));

        var error = Assert.Throws<ArgumentException>(() => writer.WriteRows(RasterSamples.Random(RasterDataType.Byte, 19, 2, 1, seed: 1)));

        Assert.Contains("20 pixels wide", error.Message);
    }

    /// <summary>Rows [first, first + count) of a raster, as the reader's windows give them.</summary>
    private static GeoRaster Rows(GeoRaster raster, int first, int count) =>
        new(raster.Width, count, raster.DataType,
            Enumerable.Range(0, raster.BandCount).Select(b => raster.CopyExactBand(b).Skip(first * raster.Width).Take(count * raster.Width).ToArray()).ToArray());
}
