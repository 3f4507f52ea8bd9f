using GeoDsl.Runtime.Data;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>Per-band statistics for normalisation, compared with values worked out by hand.</summary>
public sealed class BandStatisticsTests
{
    [Fact]
    public void StatisticsOverTwoImagesMatchTheHandComputedValuesAndSkipNoData()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddImage("b.tif", offset: 100);
        folders.AddMask("a.tif");
        folders.AddMask("b.tif");

        var report = BandStatisticsReport.Compute(new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByName("GREEN", "BLUE") });

        // GREEN: 2000..2011 and 2100..2111. Mean 2055.5; variance = spread inside an image ((12² − 1)/12 = 143/12)
        // + spread between the images (±50)² = 2500.
        var green = report.Bands[0];
        Assert.Equal(("GREEN", 24L, 2055.5, 2000.0, 2111.0), (green.Name, green.PixelCount, green.Mean, green.Min, green.Max));
        Assert.Equal(Math.Sqrt(2500 + 143.0 / 12), green.Std, 9);
        // BLUE: pixel 0 is nodata in both images, leaving 1001..1011 and 1101..1111: 22 pixels, mean 1056.
        var blue = report.Bands[1];
        Assert.Equal((22L, 1056.0, 1001.0), (blue.PixelCount, blue.Mean, blue.Min));
        Assert.Equal(2, report.ImageCount);

        var normalization = report.ToNormalization();
        Assert.Equal(new[] { 2055.5, 1056.0 }, normalization.Means);
    }

    [Fact]
    public void StatisticsOfScenesNeedNoMasksAndPrintAsTextAndJson()
    {
        using var folders = new ChipFolders();
        string image = folders.AddImage("scene.tif");

        var report = BandStatisticsReport.Compute(new[] { image }, BandSelection.ByIndex(3));

        Assert.Equal("NIR_NARROW", report.Bands[0].Name);
        Assert.Equal(4005.5, report.Bands[0].Mean);
        Assert.Contains("NIR_NARROW", report.ToText());
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(4005.5, json.RootElement.GetProperty("means")[0].GetDouble());
        Assert.Equal(12, json.RootElement.GetProperty("bands")[0].GetProperty("pixels").GetInt64());
    }

    [Fact]
    public void FolderStatisticsEqualThoseOfItsFilesAndAnEmptyFolderIsRefused()
    {
        using var folders = new ChipFolders();
        string a = folders.AddImage("a.tif");
        string b = folders.AddImage("b.tif", offset: 100);

        var fromFolder = BandStatisticsReport.ComputeForFolder(folders.Images, BandSelection.All);

        Assert.Equal(BandStatisticsReport.Compute(new[] { a, b }, BandSelection.All).Bands, fromFolder.Bands);
        var error = Assert.Throws<ChipDatasetException>(() => BandStatisticsReport.ComputeForFolder(folders.Masks, BandSelection.All));
        Assert.Contains("holds no GeoTIFF", error.Message);
    }

    [Fact]
    public void ConstantBandCannotBeNormalisedAndTheMessageSaysWhy()
    {
        using var folders = new ChipFolders();
        string image = folders.AddImage("flat.tif", width: 1, height: 2);

        // Band RED of a 1×2 image: 3000 and 3001, not constant; pixel 0 of BLUE is nodata, leaving one value, std 0.
        var error = Assert.Throws<ChipDatasetException>(() => BandStatisticsReport.Compute(new[] { image }, BandSelection.ByName("BLUE")).ToNormalization());

        Assert.Contains("constant 1001", error.Message);
    }
}
