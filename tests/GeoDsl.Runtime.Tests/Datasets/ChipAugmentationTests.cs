using GeoDsl.Runtime.Data;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>Flips, quarter turns and crops move image and mask together, as drawn from the seed.</summary>
public sealed class ChipAugmentationTests
{
    // The 3×3 plane [[0, 1, 2], [3, 4, 5], [6, 7, 8]], row-major.
    private static readonly float[] Plane = Enumerable.Range(0, 9).Select(i => (float)i).ToArray();

    [Theory]
    // torch.rot90(x, 1) turns counter-clockwise: [[2, 5, 8], [1, 4, 7], [0, 3, 6]].
    [InlineData(false, false, 1, new float[] { 2, 5, 8, 1, 4, 7, 0, 3, 6 })]
    [InlineData(false, false, 2, new float[] { 8, 7, 6, 5, 4, 3, 2, 1, 0 })]
    [InlineData(false, false, 3, new float[] { 6, 3, 0, 7, 4, 1, 8, 5, 2 })]
    [InlineData(true, false, 0, new float[] { 2, 1, 0, 5, 4, 3, 8, 7, 6 })]
    [InlineData(false, true, 0, new float[] { 6, 7, 8, 3, 4, 5, 0, 1, 2 })]
    // Flip left-right, then turn: rot90([[2, 1, 0], [5, 4, 3], [8, 7, 6]]) = [[0, 3, 6], [1, 4, 7], [2, 5, 8]].
    [InlineData(true, false, 1, new float[] { 0, 3, 6, 1, 4, 7, 2, 5, 8 })]
    public void FlipsAndQuarterTurnsMovePixelsAsTorchDoes(bool flipHorizontal, bool flipVertical, int turns, float[] expected)
    {
        var transform = new ChipTransform(0, 0, 3, 3, flipHorizontal, flipVertical, turns);

        var (image, mask) = transform.Apply(Plane, Plane.Select(v => (long)v).ToArray(), 3, 3);

        Assert.Equal(expected, image);
        Assert.Equal(expected.Select(v => (long)v), mask);
    }

    [Fact]
    public void CropTakesTheDrawnWindowOfEveryPlane()
    {
        var twoPlanes = Plane.Concat(Plane.Select(v => v + 10)).ToArray();
        var transform = new ChipTransform(1, 1, 2, 2, false, false, 0);

        var (image, mask) = transform.Apply(twoPlanes, Plane.Select(v => (long)v).ToArray(), 3, 3);

        Assert.Equal(new float[] { 4, 5, 7, 8, 14, 15, 17, 18 }, image);
        Assert.Equal(new long[] { 4, 5, 7, 8 }, mask);
    }

    [Fact]
    public void AugmentedBatchesKeepEveryLabelOnItsPixelAndRepeatForTheSameSeeds()
    {
        using var folders = new ChipFolders();
        for (int i = 0; i < 6; i++)
        {
            folders.AddImage($"chip{i}.tif", offset: 100 * i);
            folders.AddMask($"chip{i}.tif");
        }

        var options = new ChipDatasetOptions(folders.Images, folders.Masks)
        {
            Bands = BandSelection.ByName("GREEN"),
            Augmentation = new ChipAugmentation { CropSize = 2, Seed = 3 },
        };
        var dataset = new GeoTiffChipDataset(options);

        float[] Images(int epochSeed)
        {
            using var batch = dataset.Batches(6, shuffleSeed: epochSeed).Single();
            Assert.Equal(new long[] { 6, 1, 2, 2 }, batch.Images.shape);
            var images = batch.Images.data<float>().ToArray();
            var masks = batch.Masks.data<long>().ToArray();
            for (int i = 0; i < masks.Length; i++)
            {
                // ChipFolders: GREEN at source pixel p holds 2000 + p + offset and the mask holds p % 3 (the last pixel, 11, is ignored).
                int pixel = (int)images[i] % 100;
                Assert.Equal(pixel == 11 ? -1 : pixel % 3, masks[i]);
            }

            return images;
        }

        var first = Images(epochSeed: 7);
        Assert.Equal(first, Images(epochSeed: 7));
        Assert.NotEqual(first, Images(epochSeed: 8));
    }

    [Fact]
    public void NonSquareChipsOnlyTurnByHalfTurnsSoBatchesKeepOneShape()
    {
        var augmentation = new ChipAugmentation { Seed = 1 };

        var turns = Enumerable.Range(0, 200).Select(i => augmentation.Draw(i, 0, height: 3, width: 4).QuarterTurns).ToHashSet();

        Assert.Equal(new HashSet<int> { 0, 2 }, turns);
        Assert.Equal(new HashSet<int> { 0, 1, 2, 3 }, Enumerable.Range(0, 200).Select(i => augmentation.Draw(i, 0, 4, 4).QuarterTurns).ToHashSet());
    }

    [Fact]
    public void CropLargerThanTheChipIsRefusedWithTheSizesThatFit()
    {
        var error = Assert.Throws<ChipDatasetException>(() => new ChipAugmentation { CropSize = 5 }.Draw(0, 0, 3, 4));

        Assert.Contains("4×3", error.Message);
        Assert.Contains("1 to 3", error.Message);
    }
}
