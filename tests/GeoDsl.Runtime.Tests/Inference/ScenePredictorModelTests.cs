using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Data.Synthetic;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Inference;
using GeoDsl.Runtime.Tests.GeoTiff;
using GeoDsl.Runtime.Tests.Training;
using SkiaSharp;

namespace GeoDsl.Runtime.Tests.Inference;

/// <summary>A declared model predicts a scene with the tiling, bands and activation its declaration implies, and the result can be drawn.</summary>
public sealed class ScenePredictorModelTests
{
    [Fact]
    public void DeclaredModelPredictsWithItsInputSizeBandsAndSoftmaxAndKeepsItsTrainingMode()
    {
        using var folder = new TemporaryFolder("scene-model");
        var scene = SyntheticWaterScenes.Generate(80, seed: 4, index: 0);
        // The scene's bands in another order than the model's: selection by name must put them back.
        int[] shuffled = { 5, 3, 1, 0, 2, 4 };
        string scenePath = folder.File("scene.tif");
        GeoTiffWriter.Write(scenePath, new GeoRaster(80, 80, RasterDataType.Int16, shuffled.Select(scene.Image.CopyBand).ToArray())
        {
            GeoTransform = scene.Image.GeoTransform,
            Epsg = scene.Image.Epsg,
            NoData = scene.Image.NoData,
            BandDescriptions = shuffled.Select(b => scene.Image.BandDescriptions[b]).ToArray(),
        });
        // The trainer tests' tiny water mapper: 32-pixel input, the six HLS bands, two classes.
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        model.train();

        var defaults = ScenePredictor.DefaultOptions(model);
        var viaModel = ScenePredictor.Predict(model, scenePath, folder.File("model.tif"), defaults with { Output = PredictionOutput.Probabilities });

        Assert.True(model.training);
        Assert.Equal((32, 28, 2), (defaults.Tiling.Crop, defaults.Tiling.Stride, defaults.Tiling.Delta));
        Assert.Equal(OutputActivation.Softmax, defaults.Activation);
        // The same prediction by hand: the original band order, the model in eval mode, softmax, no normalisation.
        string original = folder.File("original.tif");
        GeoTiffWriter.Write(original, scene.Image);
        model.eval();
        var byHand = ScenePredictor.Predict(x => model.call(new BackboneInput(x)).Output, original, folder.File("hand.tif"), defaults with
        {
            Bands = BandSelection.All,
            Output = PredictionOutput.Probabilities,
        });
        var a = GeoTiffReader.Read(viaModel.OutputPath);
        var b = GeoTiffReader.Read(byHand.OutputPath);
        for (int band = 0; band < 2; band++)
        {
            Assert.Equal(b.CopyBand(band), a.CopyBand(band));
        }

        Assert.Equal(scene.Image.GeoTransform, a.GeoTransform);
    }

    [Fact]
    public void ScenePreviewShowsTheSceneTruthAndPredictionInThePalettesColours()
    {
        using var folder = new TemporaryFolder("scene-preview");
        var scene = SyntheticWaterScenes.Generate(48, seed: 5, index: 0);
        GeoTiffWriter.Write(folder.File("scene.tif"), scene.Image);
        GeoTiffWriter.Write(folder.File("mask.tif"), scene.Mask);
        // A class map that is water (1) in its left half and land (0) in its right half.
        var classes = new GeoRaster(48, 48, RasterDataType.Byte, new[] { Enumerable.Range(0, 48 * 48).Select(i => i % 48 < 24 ? 1f : 0f).ToArray() }) { NoData = 255 };
        GeoTiffWriter.Write(folder.File("classes.tif"), classes);

        string png = ScenePreview.Write(folder.File("preview.png"), folder.File("scene.tif"), folder.File("classes.tif"), folder.File("mask.tif"), new[] { "land", "water" });

        using var bitmap = SKBitmap.Decode(png);
        var palette = GeoDsl.Runtime.Visualization.ClassPalette.For(2);
        // Three panels of 256 px (48 px scaled ×5.33) after a 16 px margin and 12 px gaps; the third starts at 16 + 2·268.
        int top = 16 + 58 + 128;
        Assert.Equal(palette.ColorOf(1), bitmap.GetPixel(16 + 2 * 268 + 60, top));
        Assert.Equal(palette.ColorOf(0), bitmap.GetPixel(16 + 2 * 268 + 200, top));
    }
}
