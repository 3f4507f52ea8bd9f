using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Data.Synthetic;
using GeoDsl.Runtime.Tests.GeoTiff;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>The synthetic water scenes: deterministic, plausible, and readable by the chip data set.</summary>
public sealed class SyntheticWaterScenesTests
{
    [Fact]
    public void SameSeedWritesTheSameBytes()
    {
        using var first = new TemporaryFolder("scenes");
        using var second = new TemporaryFolder("scenes");

        var a = SyntheticWaterScenes.WriteTiles(first.Path, count: 3, size: 48, seed: 11);
        var b = SyntheticWaterScenes.WriteTiles(second.Path, count: 3, size: 48, seed: 11);

        foreach (var (x, y) in a.ImagePaths.Concat(a.MaskPaths).Zip(b.ImagePaths.Concat(b.MaskPaths)))
        {
            Assert.Equal(File.ReadAllBytes(x), File.ReadAllBytes(y));
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentScenes()
    {
        var a = SyntheticWaterScenes.Generate(48, seed: 1, index: 0);
        var b = SyntheticWaterScenes.Generate(48, seed: 2, index: 0);
        Assert.NotEqual(a.Mask.CopyBand(0), b.Mask.CopyBand(0));
    }

    [Fact]
    public void WaterCoversTenToFiftyPercentOfLabelledPixels()
    {
        var fractions = Enumerable.Range(0, 24).Select(i => SyntheticWaterScenes.Generate(64, seed: 5, index: i).WaterFraction).ToList();
        Assert.All(fractions, f => Assert.InRange(f, 0.10, 0.50));
    }

    [Fact]
    public void WaterIsDarkerInNirThanInRedAndVegetationIsTheOpposite()
    {
        double waterRed = 0, waterNir = 0, landRed = 0, landNir = 0;
        int water = 0, land = 0;
        for (int index = 0; index < 6; index++)
        {
            var scene = SyntheticWaterScenes.Generate(64, seed: 3, index: index);
            var red = scene.Image.Band(scene.Image.BandIndex("RED"));
            var nir = scene.Image.Band(scene.Image.BandIndex("NIR_NARROW"));
            var mask = scene.Mask.Band(0);
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] == SyntheticWaterScenes.Water)
                {
                    water++;
                    waterRed += red[i];
                    waterNir += nir[i];
                }
                else if (mask[i] == SyntheticWaterScenes.NotWater)
                {
                    land++;
                    landRed += red[i];
                    landNir += nir[i];
                }
            }
        }

        Assert.True(waterNir / water < waterRed / water, $"water: mean NIR {waterNir / water:F0} should be below mean RED {waterRed / water:F0}");
        Assert.True(landNir / land > 2 * (landRed / land), $"land: mean NIR {landNir / land:F0} should be well above mean RED {landRed / land:F0}");
        Assert.True(waterNir / water < 0.2 * (landNir / land), "water should be far darker than land in NIR");
    }

    [Fact]
    public void CloudsAreLabelledAsMaskNoDataSomewhere()
    {
        var scenes = Enumerable.Range(0, 12).Select(i => SyntheticWaterScenes.Generate(48, seed: 9, index: i)).ToList();
        Assert.Contains(scenes, s => s.Mask.CopyBand(0).Contains(SyntheticWaterScenes.MaskNoData));
        Assert.Contains(scenes, s => !s.Mask.CopyBand(0).Contains(SyntheticWaterScenes.MaskNoData));
    }

    [Fact]
    public void WrittenScenesCarryCrsBandNamesAndNoData()
    {
        using var folder = new TemporaryFolder("scenes");
        var set = SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 4);

        var image = GeoTiffReader.Read(set.ImagePaths[1]);
        var mask = GeoTiffReader.Read(set.MaskPaths[1]);

        Assert.EndsWith(Path.Combine("images", "scene_0002.tif"), set.ImagePaths[1]);
        Assert.Equal(RasterDataType.Int16, image.DataType);
        Assert.Equal(HlsReflectance.BandNames, image.BandDescriptions);
        Assert.Equal(32633, image.Epsg);
        Assert.Equal(30, image.GeoTransform!.Value.PixelWidth);
        Assert.Equal(-9999, image.NoData);
        Assert.Equal(RasterDataType.Byte, mask.DataType);
        Assert.Equal(255, mask.NoData);
        Assert.Equal(image.GeoTransform, mask.GeoTransform);
    }

    [Fact]
    public void WritingTheSameSetAgainDoesNothing()
    {
        using var folder = new TemporaryFolder("scenes");
        var first = SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 4);
        var stamps = first.ImagePaths.Select(File.GetLastWriteTimeUtc).ToList();

        var second = SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 4);

        Assert.True(first.WrittenNow);
        Assert.False(second.WrittenNow);
        Assert.Equal(stamps, second.ImagePaths.Select(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void OtherParametersRewriteTheSetAndRemoveItsOldScenes()
    {
        using var folder = new TemporaryFolder("scenes");
        SyntheticWaterScenes.WriteTiles(folder.Path, count: 3, size: 32, seed: 4);

        var smaller = SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 5);

        Assert.True(smaller.WrittenNow);
        Assert.Equal(new[] { "scene_0001.tif", "scene_0002.tif" }, Directory.GetFiles(smaller.ImageFolder).Select(Path.GetFileName).OrderBy(n => n));
        Assert.Equal(2, new GeoTiffChipDataset(smaller.DatasetOptions()).Count);
    }

    [Fact]
    public void IncompleteSetIsWrittenAgain()
    {
        using var folder = new TemporaryFolder("scenes");
        var set = SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 4);
        File.Delete(set.MaskPaths[0]);

        Assert.True(SyntheticWaterScenes.WriteTiles(folder.Path, count: 2, size: 32, seed: 4).WrittenNow);
        Assert.True(File.Exists(set.MaskPaths[0]));
    }

    [Fact]
    public void ScenesRoundTripThroughTheChipDataset()
    {
        using var folder = new TemporaryFolder("scenes");
        var set = SyntheticWaterScenes.WriteTiles(folder.Path, count: 6, size: 32, seed: 21);
        var options = set.DatasetOptions();
        var normalization = GeoTiffChipDataset.ComputeNormalization(options);
        var dataset = new GeoTiffChipDataset(options with { Normalization = normalization, CacheInMemory = true });

        using var batch = dataset.GetBatch(Enumerable.Range(0, 6).ToArray());

        Assert.Equal(new long[] { 6, 6, 32, 32 }, batch.Images.shape);
        Assert.Equal(new long[] { 6, 32, 32 }, batch.Masks.shape);
        var labels = batch.Masks.data<long>().ToArray();
        Assert.All(labels, l => Assert.Contains(l, new long[] { -1, 0, 1 }));
        Assert.Contains(1L, labels);
        for (int i = 0; i < 6; i++)
        {
            var scene = SyntheticWaterScenes.Generate(32, 21, i);
            var expected = scene.Mask.CopyBand(0).Select(v => v == SyntheticWaterScenes.MaskNoData ? -1L : (long)v);
            Assert.Equal(expected, labels.Skip(i * 32 * 32).Take(32 * 32));
        }

        // Normalised with the data set's own statistics: about zero mean and unit spread per band.
        var means = batch.Images.mean(new long[] { 0, 2, 3 }).data<float>().ToArray();
        Assert.All(means, m => Assert.InRange(m, -0.3f, 0.3f));
    }
}
