using GeoDsl.Runtime.Data;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>Pairing, band selection, normalisation, ignore labels and batching of GeoTIFF chips.</summary>
public sealed class GeoTiffChipDatasetTests
{
    [Fact]
    public void ImagesAndMasksPairBySameFileName()
    {
        using var folders = new ChipFolders();
        folders.AddImage("b.tif");
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        folders.AddMask("b.tif");

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        Assert.Equal(new[] { "a", "b" }, dataset.Pairs.Select(p => p.Name));
        Assert.EndsWith(Path.Combine("masks", "a.tif"), dataset.Pairs[0].MaskPath);
    }

    [Fact]
    public void ImagesAndMasksPairByConfiguredSuffixes()
    {
        using var folders = new ChipFolders();
        folders.AddImage("scene1_img.tif");
        folders.AddMask("scene1_mask.tif");

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { ImageSuffix = "_img", MaskSuffix = "_mask" });

        Assert.Equal("scene1", Assert.Single(dataset.Pairs).Name);
    }

    [Fact]
    public void ImageWithoutMaskFailsNamingTheImageAndTheMaskItExpected()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddImage("lonely.tif");
        folders.AddMask("a.tif");

        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks)));

        Assert.Contains(Path.Combine("images", "lonely.tif"), error.Message);
        Assert.Contains(Path.Combine("masks", "lonely.tif"), error.Message);
    }

    [Fact]
    public void UnpairedFilesCanBeIgnored()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddImage("lonely.tif");
        folders.AddMask("a.tif");

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { IgnoreUnpairedFiles = true });

        Assert.Equal(1, dataset.Count);
    }

    [Fact]
    public void BandsAreSelectedAndOrderedByName()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        var options = new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByName("NIR_NARROW", "GREEN") };

        var chip = new GeoTiffChipDataset(options)[0];

        Assert.Equal(2, chip.Channels);
        Assert.Equal(4000 + 5, chip.Image[5]);        // NIR_NARROW (band 3), pixel 5
        Assert.Equal(2000 + 5, chip.Image[12 + 5]);   // GREEN (band 1), pixel 5
    }

    [Fact]
    public void BandsAreSelectedByIndex()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");

        var chip = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByIndex(2) })[0];

        Assert.Equal(3000 + 7, chip.Image[7]);
    }

    [Fact]
    public void MissingNamedBandFailsNamingBothFilesAndTheBandsPresent()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByName("SWIR_1") });

        var error = Assert.Throws<ChipDatasetException>(() => dataset[0]);

        Assert.Contains(Path.Combine("images", "a.tif"), error.Message);
        Assert.Contains(Path.Combine("masks", "a.tif"), error.Message);
        Assert.Contains("SWIR_1", error.Message);
        Assert.Contains("3 NIR_NARROW", error.Message);
    }

    [Fact]
    public void ImageWithADifferentBandCountFailsNamingBothImages()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddImage("b.tif", bands: new[] { "BLUE", "GREEN" });
        folders.AddMask("a.tif");
        folders.AddMask("b.tif");
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        var error = Assert.Throws<ChipDatasetException>(dataset.Validate);

        Assert.Contains(Path.Combine("images", "b.tif"), error.Message);
        Assert.Contains(Path.Combine("images", "a.tif"), error.Message);
        Assert.Contains("2 band(s)", error.Message);
    }

    [Fact]
    public void ImageAndMaskOfDifferentSizesFailNamingBothWithTheirSizes()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif", width: 4, height: 3);
        folders.AddMask("a.tif", width: 5, height: 3);
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        var error = Assert.Throws<ChipDatasetException>(() => dataset[0]);

        Assert.Contains("4×3", error.Message);
        Assert.Contains("5×3", error.Message);
        Assert.Contains(Path.Combine("images", "a.tif"), error.Message);
        Assert.Contains(Path.Combine("masks", "a.tif"), error.Message);
    }

    [Fact]
    public void UnreadableImageFailsNamingBothFiles()
    {
        using var folders = new ChipFolders();
        File.WriteAllText(Path.Combine(folders.Images, "a.tif"), "not a tiff");
        folders.AddMask("a.tif");
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        var error = Assert.Throws<ChipDatasetException>(() => dataset[0]);

        Assert.Contains(Path.Combine("images", "a.tif"), error.Message);
        Assert.Contains(Path.Combine("masks", "a.tif"), error.Message);
        Assert.Contains("not a readable TIFF", error.Message);
    }

    [Fact]
    public void MaskWithSeveralBandsIsRefused()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif", bands: 2);

        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks))[0]);

        Assert.Contains("has 2 bands", error.Message);
    }

    [Fact]
    public void NormalisationStandardisesEachBandAndNoDataBecomesZero()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        var options = new ChipDatasetOptions(folders.Images, folders.Masks)
        {
            Bands = BandSelection.ByName("BLUE", "GREEN"),
            Normalization = new BandNormalization(new[] { 1000.0, 2000.0 }, new[] { 2.0, 4.0 }),
        };

        var chip = new GeoTiffChipDataset(options)[0];

        Assert.Equal(0f, chip.Image[0]);              // BLUE pixel 0 is nodata
        Assert.Equal((1003f - 1000) / 2, chip.Image[3]);
        Assert.Equal((2000f - 2000) / 4, chip.Image[12]); // GREEN pixel 0 is valid
        Assert.Equal((2011f - 2000) / 4, chip.Image[12 + 11]);
    }

    [Fact]
    public void MaskNoDataAndChosenValuesBecomeTheIgnoreIndex()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        var options = new ChipDatasetOptions(folders.Images, folders.Masks) { MaskIgnoreValues = new long[] { 2 } };

        var mask = new GeoTiffChipDataset(options)[0].Mask.ToArray();

        // Pixel i holds i % 3; class 2 ignored; the last pixel is nodata.
        Assert.Equal(new long[] { 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1 }, mask);
    }

    [Fact]
    public void BatchesAreFloatImagesAndLongMasksOfTheRightShape()
    {
        using var folders = new ChipFolders();
        foreach (string name in new[] { "a.tif", "b.tif", "c.tif" })
        {
            folders.AddImage(name);
            folders.AddMask(name);
        }

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { CacheInMemory = true });
        var batches = dataset.Batches(batchSize: 2).ToList();

        Assert.Equal(2, batches.Count);
        Assert.Equal(new long[] { 2, 4, 3, 4 }, batches[0].Images.shape);
        Assert.Equal(torch.ScalarType.Float32, batches[0].Images.dtype);
        Assert.Equal(new long[] { 2, 3, 4 }, batches[0].Masks.shape);
        Assert.Equal(torch.ScalarType.Int64, batches[0].Masks.dtype);
        Assert.Equal(new long[] { 1, 4, 3, 4 }, batches[1].Images.shape);
        Assert.Equal(1001f, batches[0].Images[0, 0, 0, 1].item<float>());
        Assert.Equal(-1L, batches[0].Masks[1, 2, 3].item<long>());
        foreach (var batch in batches)
        {
            batch.Dispose();
        }
    }

    [Fact]
    public void FramesGroupSelectedBandsIntoATimeAxis()
    {
        using var folders = new ChipFolders();
        var bands = new[] { "BLUE_t0", "RED_t0", "BLUE_t1", "RED_t1", "BLUE_t2", "RED_t2" };
        folders.AddImage("a.tif", bands: bands);
        folders.AddMask("a.tif");
        var options = new ChipDatasetOptions(folders.Images, folders.Masks)
        {
            Bands = BandSelection.ByName(bands),
            Frames = 3,
            // One mean/std per band of a frame, applied to every frame.
            Normalization = new BandNormalization(new[] { 0.0, 0.0 }, new[] { 1.0, 1.0 }),
        };

        using var batch = new GeoTiffChipDataset(options).GetBatch(new[] { 0 });

        Assert.Equal(new long[] { 1, 2, 3, 3, 4 }, batch.Images.shape);
        // [b, c, t, row, col]: channel RED (c=1) at frame t=2 is file band RED_t2 (index 5): 6000 + pixel.
        Assert.Equal(6000f + 6, batch.Images[0, 1, 2, 1, 2].item<float>());
        Assert.Equal(3000f + 6, batch.Images[0, 0, 1, 1, 2].item<float>());
    }

    [Fact]
    public void BandsThatDoNotSplitIntoFramesAreRefused()
    {
        using var folders = new ChipFolders();
        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(
            new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByIndex(0, 1, 2), Frames = 2 }));
        Assert.Contains("3 selected band(s)", error.Message);
    }

    [Fact]
    public void ShufflingIsDeterministicForASeedAndCoversEveryChip()
    {
        using var folders = new ChipFolders();
        for (int i = 0; i < 10; i++)
        {
            folders.AddImage($"c{i}.tif");
            folders.AddMask($"c{i}.tif");
        }

        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        Assert.Equal(dataset.Order(7), dataset.Order(7));
        Assert.NotEqual(dataset.Order(7), dataset.Order(8));
        Assert.Equal(Enumerable.Range(0, 10), dataset.Order(7).OrderBy(i => i));
        Assert.Equal(Enumerable.Range(0, 10), dataset.Order(null));
        var names = dataset.Batches(4, shuffleSeed: 7).SelectMany(b => { using (b) { return b.Chips.Select(c => c.Name).ToList(); } });
        Assert.Equal(dataset.Order(7).Select(i => dataset.Pairs[i].Name), names);
    }

    [Fact]
    public void ChipsOfDifferentSizesCannotShareABatch()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        folders.AddImage("b.tif", width: 5);
        folders.AddMask("b.tif", width: 5);
        var dataset = new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks));

        var error = Assert.Throws<ChipDatasetException>(() => dataset.GetBatch(new[] { 0, 1 }));

        Assert.Contains(Path.Combine("images", "a.tif"), error.Message);
        Assert.Contains(Path.Combine("images", "b.tif"), error.Message);
    }

    [Fact]
    public void ComputedNormalisationIgnoresNoDataPixels()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif", offset: 0);
        folders.AddImage("b.tif", offset: 100);
        folders.AddMask("a.tif");
        folders.AddMask("b.tif");

        var statistics = GeoTiffChipDataset.ComputeNormalization(new ChipDatasetOptions(folders.Images, folders.Masks) { Bands = BandSelection.ByName("BLUE", "GREEN") });

        // BLUE: 1001..1011 and 1100..1111 (pixel 0 of each image is nodata); GREEN: 2000..2011 and 2100..2111.
        var blue = Enumerable.Range(1, 11).Select(i => 1000.0 + i).Concat(Enumerable.Range(1, 11).Select(i => 1100.0 + i)).ToArray();
        var green = Enumerable.Range(0, 12).Select(i => 2000.0 + i).Concat(Enumerable.Range(0, 12).Select(i => 2100.0 + i)).ToArray();
        Assert.Equal(blue.Average(), statistics.Means[0], 9);
        Assert.Equal(PopulationStd(blue), statistics.Stds[0], 9);
        Assert.Equal(green.Average(), statistics.Means[1], 9);
        Assert.Equal(PopulationStd(green), statistics.Stds[1], 9);
    }

    private static double PopulationStd(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
