using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>The writer never leaves a half-written file, and refuses options it cannot honour before touching the disk.</summary>
public sealed class WriterSafetyTests
{
    private static GeoRaster SmallRaster(RasterDataType type = RasterDataType.Int16) =>
        new GeoRaster(20, 10, type, new[] { Enumerable.Range(0, 200).Select(i => (float)(i % 100)).ToArray() });

    [Fact]
    public void SuccessfulWriteLeavesOnlyTheFinishedFile()
    {
        using var folder = new TemporaryFolder("writer");
        GeoTiffWriter.Write(folder.File("out.tif"), SmallRaster());
        Assert.Equal(new[] { "out.tif" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WritingOverAnExistingFileReplacesIt()
    {
        using var folder = new TemporaryFolder("writer");
        string path = folder.File("out.tif");
        File.WriteAllText(path, "old contents");

        GeoTiffWriter.Write(path, SmallRaster());

        Assert.Equal(20, GeoTiffReader.Read(path).Width);
    }

    [Fact]
    public void RefusedOptionsLeaveAnExistingFileUntouchedAndNoTemporaryFile()
    {
        using var folder = new TemporaryFolder("writer");
        string path = folder.File("out.tif");
        File.WriteAllText(path, "old contents");

        var error = Assert.Throws<GeoTiffException>(() =>
            GeoTiffWriter.Write(path, SmallRaster(), GeoTiffWriteOptions.Tiles(100, 100)));

        Assert.Contains("out.tif", error.Message);
        Assert.Contains("multiples of 16", error.Message);
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void FloatingPointPredictorOnIntegersIsRefusedNamingTheType()
    {
        using var folder = new TemporaryFolder("writer");
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffWriter.Write(folder.File("x.tif"), SmallRaster(),
            GeoTiffWriteOptions.Default with { Predictor = GeoTiffPredictor.FloatingPoint }));
        Assert.Contains("Int16", error.Message);
        Assert.Contains("Horizontal", error.Message);
    }

    [Fact]
    public void PredictorWithoutCompressionIsRefused()
    {
        using var folder = new TemporaryFolder("writer");
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffWriter.Write(folder.File("x.tif"), SmallRaster(),
            GeoTiffWriteOptions.Default with { Compression = GeoTiffCompression.None, Predictor = GeoTiffPredictor.Horizontal }));
        Assert.Contains("compression None", error.Message);
    }

    [Fact]
    public void WrongNumberOfBandDescriptionsIsRefused()
    {
        using var folder = new TemporaryFolder("writer");
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffWriter.Write(folder.File("x.tif"), SmallRaster(),
            GeoTiffWriteOptions.Default with { BandDescriptions = new[] { "A", "B" } }));
        Assert.Contains("2 band descriptions", error.Message);
    }

    [Fact]
    public void NoDataOutsideTheTypeIsRefused()
    {
        using var folder = new TemporaryFolder("writer");
        var error = Assert.Throws<GeoTiffException>(() => GeoTiffWriter.Write(folder.File("x.tif"), SmallRaster(RasterDataType.Byte),
            GeoTiffWriteOptions.Default with { NoData = -9999 }));
        Assert.Contains("-9999", error.Message);
        Assert.Contains("Byte", error.Message);
    }

    [Fact]
    public void WriterCreatesMissingFolders()
    {
        using var folder = new TemporaryFolder("writer");
        string path = Path.Combine(folder.Path, "a", "b", "out.tif");
        GeoTiffWriter.Write(path, SmallRaster());
        Assert.True(File.Exists(path));
    }
}
