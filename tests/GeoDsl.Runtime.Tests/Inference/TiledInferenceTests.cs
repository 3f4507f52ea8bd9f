using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Inference;
using GeoDsl.Runtime.Tests.GeoTiff;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Inference;

/// <summary>Tiled scene prediction equals a whole-scene prediction, blends overlaps as computed by hand, and keeps the georeferencing.</summary>
public sealed class TiledInferenceTests
{
    private static readonly GeoTransform SceneTransform = GeoTransform.NorthUp(399960, 5000040, 30, 30);

    [Fact]
    public void TiledPredictionEqualsTheWholeScenePredictionWhenTheModelsContextFitsInDelta()
    {
        using var folder = new TemporaryFolder("tiled");
        // 70×53: neither side is a multiple of the stride, and the last tiles are moved back to the scene's edge.
        string scene = WriteScene(folder.File("scene.tif"), width: 70, height: 53, bands: 4, seed: 11);
        torch.manual_seed(5);
        using var model = ContextModel(inChannels: 4, classes: 3);
        var tiling = new TiledInferenceOptions { Crop = 32, Stride = 24, Delta = 4, BatchSize = 3 };
        var options = new ScenePredictionOptions { Tiling = tiling, Output = PredictionOutput.Probabilities };

        var report = ScenePredictor.Predict(x => model.call(x), scene, folder.File("probabilities.tif"), options);

        // Two 3×3 convolutions see 2 pixels around each output pixel. Every kept pixel lies at least delta = 4 pixels
        // inside its tile, so each tile's output there equals that of the whole scene padded by reflection (torch's own
        // reflect padding, by delta, as the tiling pads), and blending equal values returns them: what remains is
        // float32 rounding of the convolution sums in two different tensor sizes, well below 1e-5.
        var expected = WholeScene(model, scene, delta: 4);
        var tiled = GeoTiffReader.Read(report.OutputPath);
        Assert.Equal(3, tiled.BandCount);
        double worst = 0;
        for (int k = 0; k < 3; k++)
        {
            var band = tiled.Band(k);
            for (int i = 0; i < band.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(band[i] - expected[k][i]));
            }
        }

        Assert.True(worst < 1e-5, $"largest difference between tiled and whole-scene probabilities: {worst:E2}");
        // 53 rows padded to 61 give tile rows at 0, 24 and 29; 70 columns padded to 78 give tile columns at 0, 24 and 46.
        Assert.Equal(9, report.Tiles);
        Assert.Equal(3, report.Batches);
        Assert.True(report.LargestWindowRead.Height <= tiling.Crop, $"read {report.LargestWindowRead} at once");
    }

    [Fact]
    public void ClassesAreTheMostProbableClassOfTheWholeScenePrediction()
    {
        using var folder = new TemporaryFolder("tiled-classes");
        string scene = WriteScene(folder.File("scene.tif"), width: 45, height: 38, bands: 4, seed: 12);
        torch.manual_seed(6);
        using var model = ContextModel(inChannels: 4, classes: 3);
        var options = new ScenePredictionOptions { Tiling = new TiledInferenceOptions { Crop = 16, Stride = 12, Delta = 2, BatchSize = 5 } };

        var report = ScenePredictor.Predict(x => model.call(x), scene, folder.File("classes.tif"), options);

        var expected = WholeScene(model, scene, delta: 2);
        var classes = GeoTiffReader.Read(report.OutputPath);
        Assert.Equal(RasterDataType.Byte, classes.DataType);
        int compared = 0;
        for (int i = 0; i < 45 * 38; i++)
        {
            var ranked = Enumerable.Range(0, 3).OrderByDescending(k => expected[k][i]).ToArray();
            if (expected[ranked[0]][i] - expected[ranked[1]][i] > 1e-4)
            {
                Assert.Equal(ranked[0], (int)classes.Band(0)[i]);
                compared++;
            }
        }

        Assert.True(compared > 45 * 38 * 0.95, $"only {compared} pixels had a clear winner");
    }

    [Theory]
    [InlineData(TileBlending.Cosine, 2.1464466, 2.8535534)]
    [InlineData(TileBlending.Uniform, 2.5, 2.5)]
    public void OverlapsAreBlendedWithTheHandComputedWeights(TileBlending blending, double column10, double column11)
    {
        using var folder = new TemporaryFolder("tiled-blend");
        string scene = WriteScene(folder.File("scene.tif"), width: 14, height: 1, bands: 1, seed: 1);
        // A "model" that paints each tile with its number: 0, 1, 2, 3 in the order tiles are run.
        int tilesSeen = 0;
        Tensor PaintTileNumbers(Tensor tiles)
        {
            var numbers = torch.arange(tilesSeen, tilesSeen + tiles.shape[0], ScalarType.Float32).reshape(-1, 1, 1, 1);
            tilesSeen += (int)tiles.shape[0];
            return numbers.expand(tiles.shape[0], 1, tiles.shape[2], tiles.shape[3]).contiguous();
        }

        var options = new ScenePredictionOptions
        {
            Tiling = new TiledInferenceOptions { Crop = 8, Stride = 4, Delta = 2, BatchSize = 3, Blending = blending },
            Output = PredictionOutput.Probabilities,
            Activation = OutputActivation.None,
        };

        ScenePredictor.Predict(PaintTileNumbers, scene, folder.File("blend.tif"), options);

        // 14 columns padded by 2 on each side: tiles start at 0, 4, 8 and (18 − 8 =) 10 and keep 4 columns each:
        // scene columns 0–3, 4–7, 8–11 and 10–13. Only columns 10 and 11 are kept twice: by tile 2 at kept positions
        // 2 and 3, by tile 3 at 0 and 1. Hann weights sin²(π(i + ½)/4) are 0.1464, 0.8536, 0.8536, 0.1464, so column 10
        // is (0.8536·2 + 0.1464·3) / 1 = 2.1464 and column 11 is (0.1464·2 + 0.8536·3) / 1 = 2.8536; uniform gives 2.5.
        var blended = GeoTiffReader.Read(folder.File("blend.tif")).Band(0).ToArray();
        var expected = new double[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, column10, column11, 3, 3 };
        Assert.Equal(4, tilesSeen);
        for (int col = 0; col < 14; col++)
        {
            Assert.True(Math.Abs(blended[col] - expected[col]) < 1e-6, $"column {col}: {blended[col]}, expected {expected[col]}");
        }
    }

    [Fact]
    public void OutputKeepsTheScenesGeotransformAndCrsAndMarksPixelsWithoutDataAsNoData()
    {
        using var folder = new TemporaryFolder("tiled-georef");
        string scene = WriteScene(folder.File("scene.tif"), width: 40, height: 30, bands: 2, seed: 3, noDataCorner: 5);
        torch.manual_seed(7);
        using var model = ContextModel(inChannels: 2, classes: 2);
        var options = new ScenePredictionOptions { Tiling = new TiledInferenceOptions { Crop = 16, Stride = 10, Delta = 3 } };

        ScenePredictor.Predict(x => model.call(x), scene, folder.File("classes.tif"), options);
        ScenePredictor.Predict(x => model.call(x), scene, folder.File("probabilities.tif"), options with
        {
            Output = PredictionOutput.Probabilities,
            ClassNames = new[] { "land", "water" },
        });

        var classes = GeoTiffReader.Read(folder.File("classes.tif"));
        var probabilities = GeoTiffReader.Read(folder.File("probabilities.tif"));
        foreach (var output in new[] { classes, probabilities })
        {
            Assert.Equal((40, 30), (output.Width, output.Height));
            Assert.Equal(SceneTransform, output.GeoTransform);
            Assert.Equal(32633, output.Epsg);
        }

        Assert.Equal(255, classes.NoData);
        Assert.True(double.IsNaN(probabilities.NoData!.Value));
        Assert.Equal(new[] { "land", "water" }, probabilities.BandDescriptions);
        // The scene's top-left 5×5 pixels are nodata in every band; nothing else is.
        for (int row = 0; row < 30; row++)
        {
            for (int col = 0; col < 40; col++)
            {
                bool empty = row < 5 && col < 5;
                Assert.Equal(empty, classes[0, row, col] == 255);
                Assert.Equal(empty, float.IsNaN(probabilities[1, row, col]));
            }
        }
    }

    [Fact]
    public void MultiTemporalScenesReachTheModelAsFramesAndSelectedBandsByName()
    {
        using var folder = new TemporaryFolder("tiled-frames");
        // Bands A_t0, B_t0, A_t1, B_t1, C_t0 (unused); the model is handed [B, 2, 2, crop, crop] and returns frame 1 − frame 0.
        string scene = WriteScene(folder.File("scene.tif"), width: 33, height: 21, bands: 5, seed: 9,
            names: new[] { "A_t0", "B_t0", "A_t1", "B_t1", "C_t0" });
        var shapes = new List<long[]>();
        Tensor FrameDifference(Tensor tiles)
        {
            shapes.Add(tiles.shape);
            return tiles[.., .., 1] - tiles[.., .., 0];
        }

        var options = new ScenePredictionOptions
        {
            Tiling = new TiledInferenceOptions { Crop = 16, Stride = 12, Delta = 2, BatchSize = 4 },
            Bands = BandSelection.ByName("A_t0", "B_t0", "A_t1", "B_t1"),
            Frames = 2,
            Normalization = new BandNormalization(new[] { 1.0, 2.0 }, new[] { 2.0, 4.0 }),
            Output = PredictionOutput.Probabilities,
            Activation = OutputActivation.None,
        };

        ScenePredictor.Predict(FrameDifference, scene, folder.File("difference.tif"), options);

        Assert.All(shapes, shape => Assert.Equal(new long[] { 2, 2, 16, 16 }, shape.Skip(1).ToArray()));
        var source = GeoTiffReader.Read(scene);
        var difference = GeoTiffReader.Read(folder.File("difference.tif"));
        for (int i = 0; i < 33 * 21; i++)
        {
            // Per-frame statistics: band A uses mean 1, std 2 in both frames; band B mean 2, std 4.
            double a = (source.Band(2)[i] - 1.0) / 2 - (source.Band(0)[i] - 1.0) / 2;
            double b = (source.Band(3)[i] - 2.0) / 4 - (source.Band(1)[i] - 2.0) / 4;
            Assert.True(Math.Abs(difference.Band(0)[i] - a) < 1e-5 && Math.Abs(difference.Band(1)[i] - b) < 1e-5, $"pixel {i}");
        }
    }

    [Fact]
    public void SceneSmallerThanATileIsPaddedAndPredictedWhole()
    {
        using var folder = new TemporaryFolder("tiled-small");
        string scene = WriteScene(folder.File("scene.tif"), width: 9, height: 6, bands: 3, seed: 4);
        torch.manual_seed(8);
        using var model = ContextModel(inChannels: 3, classes: 2);
        var options = new ScenePredictionOptions
        {
            Tiling = new TiledInferenceOptions { Crop = 32, Stride = 16, Delta = 8 },
            Output = PredictionOutput.Probabilities,
        };

        var report = ScenePredictor.Predict(x => model.call(x), scene, folder.File("small.tif"), options);

        Assert.Equal(1, report.Tiles);
        var probabilities = GeoTiffReader.Read(report.OutputPath);
        Assert.Equal((9, 6), (probabilities.Width, probabilities.Height));
        for (int i = 0; i < 9 * 6; i++)
        {
            Assert.True(Math.Abs(probabilities.Band(0)[i] + probabilities.Band(1)[i] - 1) < 1e-5, $"pixel {i}: probabilities do not sum to 1");
        }
    }

    [Fact]
    public void StrideThatLeavesGapsIsRefusedWithTheLargestThatWorks()
    {
        var error = Assert.Throws<ArgumentException>(() => new TiledInferenceOptions { Crop = 64, Stride = 60, Delta = 8 }.Check());

        Assert.Contains("stride of at most 48", error.Message);
        Assert.Contains("delta of at most 2", error.Message);
    }

    [Fact]
    public void BandTheSceneLacksFailsNamingTheSceneAndLeavesNoOutput()
    {
        using var folder = new TemporaryFolder("tiled-bands");
        string scene = WriteScene(folder.File("scene.tif"), width: 20, height: 20, bands: 2, seed: 2);
        var options = new ScenePredictionOptions { Bands = BandSelection.ByName("B0", "SWIR_1"), Tiling = new TiledInferenceOptions { Crop = 16, Stride = 8, Delta = 4 } };

        var error = Assert.Throws<GeoTiffException>(() => ScenePredictor.Predict(x => x, scene, folder.File("out.tif"), options));

        Assert.Contains("scene.tif", error.Message);
        Assert.Contains("SWIR_1", error.Message);
        Assert.False(File.Exists(folder.File("out.tif")));
    }

    [Fact]
    public void ModelWhoseOutputIsNotAMapOfTheTileIsRefusedAndNothingIsWritten()
    {
        using var folder = new TemporaryFolder("tiled-shape");
        string scene = WriteScene(folder.File("scene.tif"), width: 20, height: 20, bands: 2, seed: 2);
        var options = new ScenePredictionOptions { Tiling = new TiledInferenceOptions { Crop = 16, Stride = 8, Delta = 4 } };

        var error = Assert.Throws<InvalidOperationException>(() =>
            ScenePredictor.Predict(tiles => tiles.mean(new long[] { 2, 3 }), scene, folder.File("out.tif"), options));

        Assert.Contains("[3, K, 16, 16]", error.Message); // 20 columns padded to 28: tiles at 0, 8 and 12
        Assert.Equal(new[] { scene }, Directory.GetFiles(folder.Path));
    }

    /// <summary>A Float32 scene with seeded values, the test transform and CRS; optionally a nodata corner in every band.</summary>
    private static string WriteScene(string path, int width, int height, int bands, int seed, int noDataCorner = 0, string[]? names = null)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, bands).Select(_ => Enumerable.Range(0, width * height).Select(_ => (float)(random.NextDouble() * 4 - 1)).ToArray()).ToArray();
        for (int row = 0; row < noDataCorner; row++)
        {
            for (int col = 0; col < noDataCorner; col++)
            {
                foreach (var band in values)
                {
                    band[row * width + col] = -9999;
                }
            }
        }

        GeoTiffWriter.Write(path, new GeoRaster(width, height, RasterDataType.Float32, values)
        {
            GeoTransform = SceneTransform,
            Epsg = 32633,
            NoData = -9999,
            BandDescriptions = names ?? Enumerable.Range(0, bands).Select(b => (string?)$"B{b}").ToArray(),
        }, GeoTiffWriteOptions.Tiles(16, 16));
        return path;
    }

    /// <summary>Two 3×3 convolutions: each output pixel depends on the 5×5 pixels around it.</summary>
    private static TorchSharp.Modules.Sequential ContextModel(int inChannels, int classes)
    {
        var model = nn.Sequential(
            nn.Conv2d(inChannels, 8, 3, padding: 1),
            nn.ReLU(),
            nn.Conv2d(8, classes, 3, padding: 1));
        model.eval();
        return model;
    }

    /// <summary>The model on the whole scene, reflect-padded by delta with torch's padding, then cropped back: per class, row-major.</summary>
    private static float[][] WholeScene(nn.Module<Tensor, Tensor> model, string scenePath, int delta)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var scene = GeoTiffReader.Read(scenePath);
        var data = Enumerable.Range(0, scene.BandCount).SelectMany(b => scene.CopyBand(b)).ToArray();
        var input = torch.tensor(data, new long[] { 1, scene.BandCount, scene.Height, scene.Width });
        var padded = nn.functional.pad(input, new long[] { delta, delta, delta, delta }, PaddingModes.Reflect);
        var output = model.call(padded).softmax(1)[.., .., delta..(delta + scene.Height), delta..(delta + scene.Width)].contiguous();
        int classes = (int)output.shape[1];
        return Enumerable.Range(0, classes).Select(k => output[0, k].contiguous().data<float>().ToArray()).ToArray();
    }
}
