using GeoDsl.Runtime.Data;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>Chips paired by a list file, narrowed by split files, or split by folders; every mistake names the file and line.</summary>
public sealed class ChipListAndSplitTests
{
    [Fact]
    public void PairListPairsImagesAndMasksWhateverTheirNamesRelativeToTheList()
    {
        using var folders = new ChipFolders();
        folders.AddImage("scene_b_img.tif");
        folders.AddImage("scene_a_img.tif");
        folders.AddMask("label_for_a.tif");
        folders.AddMask("label_for_b.tif");
        string list = Path.Combine(folders.Images, "..", "pairs.txt");
        File.WriteAllText(list, "# image, mask\nimages/scene_a_img.tif, masks/label_for_a.tif\n\nimages/scene_b_img.tif\tmasks/label_for_b.tif\n");

        var dataset = new GeoTiffChipDataset(ChipDatasetOptions.FromPairList(list));

        Assert.Equal(new[] { "scene_a_img", "scene_b_img" }, dataset.Pairs.Select(p => p.Name));
        Assert.EndsWith("label_for_b.tif", dataset.Pairs[1].MaskPath);
        Assert.Equal(3 * 4, dataset[0].Mask.Length);
    }

    [Fact]
    public void PairListLineWithoutTwoPathsFailsNamingTheListAndTheLine()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        string list = Path.Combine(folders.Images, "..", "pairs.txt");
        File.WriteAllText(list, "images/a.tif, masks/a.tif\nimages/a.tif\n");

        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(ChipDatasetOptions.FromPairList(list)));

        Assert.Contains("pairs.txt' line 2", error.Message);
        Assert.Contains("separated by a comma or a tab", error.Message);
    }

    [Fact]
    public void PairListNamingAMissingMaskFailsNamingTheLineAndTheMissingFile()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        string list = Path.Combine(folders.Images, "..", "pairs.txt");
        File.WriteAllText(list, "images/a.tif, masks/a.tif\n");

        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(ChipDatasetOptions.FromPairList(list)));

        Assert.Contains("line 1 names mask", error.Message);
        Assert.Contains(Path.Combine("masks", "a.tif"), error.Message);
    }

    [Fact]
    public void SplitFilesKeepOnlyTheChipsTheyName()
    {
        using var folders = new ChipFolders();
        foreach (string name in new[] { "a", "b", "c", "d" })
        {
            folders.AddImage(name + ".tif");
            folders.AddMask(name + ".tif");
        }

        string train = Path.Combine(folders.Images, "..", "train.txt");
        string validation = Path.Combine(folders.Images, "..", "val.txt");
        File.WriteAllText(train, "c\na.tif\n");
        File.WriteAllText(validation, "d\n");

        var splits = ChipSplits.FromSplitFiles(new ChipDatasetOptions(folders.Images, folders.Masks), train, validation);

        Assert.Equal(new[] { "a", "c" }, new GeoTiffChipDataset(splits.Train).Pairs.Select(p => p.Name));
        Assert.Equal(new[] { "d" }, new GeoTiffChipDataset(splits.Validation!).Pairs.Select(p => p.Name));
        Assert.Null(splits.Test);
    }

    [Fact]
    public void SplitFileNamingAnUnknownChipFailsNamingTheSplitFileAndLine()
    {
        using var folders = new ChipFolders();
        folders.AddImage("a.tif");
        folders.AddMask("a.tif");
        string split = Path.Combine(folders.Images, "..", "test.txt");
        File.WriteAllText(split, "a\nzzz\n");

        var error = Assert.Throws<ChipDatasetException>(() => new GeoTiffChipDataset(new ChipDatasetOptions(folders.Images, folders.Masks) { SplitFile = split }));

        Assert.Contains("test.txt' line 2 names chip 'zzz'", error.Message);
    }

    [Fact]
    public void SplitsFromFoldersFindTrainValAndTestAndAugmentOnlyTraining()
    {
        using var root = new GeoTiff.TemporaryFolder("splits");
        foreach (string split in new[] { "train", "val" })
        {
            Directory.CreateDirectory(Path.Combine(root.Path, split, "images"));
            Directory.CreateDirectory(Path.Combine(root.Path, split, "masks"));
        }

        var template = new ChipDatasetOptions("", "") { Augmentation = new ChipAugmentation(), Bands = BandSelection.ByName("RED") };

        var splits = ChipSplits.FromFolders(root.Path, template);

        Assert.Equal(Path.Combine(root.Path, "train", "images"), splits.Train.ImageFolder);
        Assert.Equal(Path.Combine(root.Path, "val", "masks"), splits.Validation!.MaskFolder);
        Assert.Null(splits.Test);
        Assert.NotNull(splits.Train.Augmentation);
        Assert.Null(splits.Validation.Augmentation);
        Assert.Equal("bands RED", splits.Validation.Bands.ToString());
    }

    [Fact]
    public void FolderWithoutATrainingSplitFailsNamingTheFolderItExpected()
    {
        using var root = new GeoTiff.TemporaryFolder("splits-missing");
        Directory.CreateDirectory(Path.Combine(root.Path, "val"));

        var error = Assert.Throws<ChipDatasetException>(() => ChipSplits.FromFolders(root.Path));

        Assert.Contains(Path.Combine(root.Path, "train"), error.Message);
    }
}
