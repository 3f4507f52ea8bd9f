using System.Globalization;
using System.Text.Json;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Data.Synthetic;
using GeoDsl.Runtime.Weights;
using GeoDsl.Tooling.Reports;
using TorchSharp;

namespace GeoDsl.Cli.Tests;

/// <summary><c>geodsl train</c> and <c>geodsl predict</c> on a tiny model and synthetic chips the test writes.</summary>
public sealed class TrainAndPredictCommandTests : IClassFixture<TrainPredictFixture>
{
    private readonly TrainPredictFixture run;

    public TrainAndPredictCommandTests(TrainPredictFixture run)
    {
        this.run = run;
    }

    private static GeoModel TinyModel() => new(ModelSelection.Choose(TrainPredictFixture.ModelFile, null, "testing").Analysis!.Spec);

    private string TempPath(string name) => Path.Combine(run.Folder, Guid.NewGuid().ToString("N") + "-" + name);

    [Fact]
    public void TrainingOneEpochWritesTheCheckpointHistoryPicturesAndRunManifest()
    {
        Assert.True(run.Training.ExitCode == 0, run.Training.Error + run.Training.Output);
        Assert.True(File.Exists(run.Weights));
        var history = File.ReadAllLines(Path.Combine(run.RunFolder, "history.csv"));
        Assert.Equal(2, history.Length);
        Assert.StartsWith("1,", history[1], StringComparison.Ordinal);
        foreach (string picture in new[] { "curves.png", "predictions.png" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(run.RunFolder, picture));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray());
        }

        Assert.Contains("best epoch 1/1", run.Training.Output);
        Assert.Contains("8 training chip(s)", run.Training.Output);
    }

    [Fact]
    public void TheRunManifestRecordsTheTrainingImagesStatistics()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "run.json")));
        var root = manifest.RootElement;
        Assert.Equal("WaterPrithviTiny", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("bestEpoch").GetInt32());

        // The blue band's mean over every pixel with data, summed here from the files.
        double sum = 0;
        long count = 0;
        foreach (string image in Directory.GetFiles(run.Data.ImageFolder))
        {
            var raster = GeoTiffReader.Read(image);
            foreach (float value in raster.Band(raster.BandIndex("BLUE")).ToArray().Where(v => !raster.IsNoData(v)))
            {
                sum += value;
                count++;
            }
        }

        Assert.Equal(sum / count, root.GetProperty("means")[0].GetDouble(), 6);
    }

    [Fact]
    public void TheCheckpointLoadsStrictlyIntoTheModelTheFileDeclares()
    {
        using var model = TinyModel();
        var report = model.LoadSafetensors(run.Weights);
        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(model.state_dict().Count, report.Loaded.Count);
    }

    [Fact]
    public void PredictWritesAGeoTiffOfTheInputsSizeAndGeoreferencing()
    {
        var scene = SyntheticWaterScenes.Generate(96, seed: 11, index: 3);
        string input = TempPath("scene.tif");
        string output = TempPath("prediction.tif");
        GeoTiffWriter.Write(input, scene.Image);

        var result = CliRunner.Run("predict", TrainPredictFixture.ModelFile, "--weights", run.Weights, "--input", input, "--output", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var written = GeoTiffReader.Read(output);
        Assert.Equal((96, 96, 1), (written.Width, written.Height, written.BandCount));
        Assert.Equal(RasterDataType.Byte, written.DataType);
        Assert.Equal(scene.Image.GeoTransform, written.GeoTransform);
        Assert.Equal(SyntheticWaterScenes.Epsg, written.Epsg);
        for (int i = 0; i < 96 * 96; i++)
        {
            bool noData = Enumerable.Range(0, scene.Image.BandCount).All(b => scene.Image.IsNoData(scene.Image.Band(b)[i]));
            float label = written.Band(0)[i];
            Assert.True(noData ? label == 255 : label is 0 or 1, $"pixel {i}: {label}, input nodata {noData}");
        }
    }

    [Fact]
    public void PredictLabelsEveryPixelAsTheModelDoesOnTheSameChipReadAsTrainingData()
    {
        // One tile the chip's size with nothing cut at its edges is the whole-image forward; the default tiling pads by
        // reflection and cuts tile edges, which a ViT (global attention) answers slightly differently near the border.
        string output = TempPath("chip-prediction.tif");
        var result = CliRunner.Run("predict", TrainPredictFixture.ModelFile, "--weights", run.Weights, "--input", run.Data.ImagePaths[0], "--output", output,
            "--crop", TrainPredictFixture.ChipSize.ToString(CultureInfo.InvariantCulture), "--stride", TrainPredictFixture.ChipSize.ToString(CultureInfo.InvariantCulture), "--delta", "0");
        Assert.True(result.ExitCode == 0, result.Error);

        // The same chip through the training data path: the data set's normalisation, the model's forward, argmax.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "run.json")));
        var means = manifest.RootElement.GetProperty("means").EnumerateArray().Select(m => m.GetDouble()).ToArray();
        var stds = manifest.RootElement.GetProperty("stds").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        var data = new GeoTiffChipDataset(new ChipDatasetOptions(run.Data.ImageFolder, run.Data.MaskFolder)
        {
            Bands = BandSelection.ByName(HlsReflectance.BandNames),
            Normalization = new BandNormalization(means, stds),
        });
        using var model = TinyModel();
        model.LoadSafetensors(run.Weights);
        model.eval();
        long[] expected;
        using (torch.no_grad())
        {
            expected = model.Predict(data.GetBatch(new[] { 0 }).Images).Output.argmax(1).flatten().data<long>().ToArray();
        }

        var written = GeoTiffReader.Read(output);
        var image = GeoTiffReader.Read(run.Data.ImagePaths[0]);
        int compared = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool noData = Enumerable.Range(0, image.BandCount).All(b => image.IsNoData(image.Band(b)[i]));
            if (!noData)
            {
                Assert.Equal(expected[i], (long)written.Band(0)[i]);
                compared++;
            }
        }

        Assert.True(compared > TrainPredictFixture.ChipSize * TrainPredictFixture.ChipSize / 2);
    }

    [Fact]
    public void PredictRefusesAnImageWithTheWrongBandCountNamingTheFileAndTheBands()
    {
        string input = TempPath("three-bands.tif");
        var bands = Enumerable.Range(0, 3).Select(_ => new float[16 * 16]).ToArray();
        GeoTiffWriter.Write(input, new GeoRaster(16, 16, RasterDataType.Int16, bands));

        var result = CliRunner.Run("predict", TrainPredictFixture.ModelFile, "--weights", run.Weights, "--input", input, "--output", TempPath("never.tif"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(input, result.Error);
        Assert.Contains("has 3 band(s)", result.Error);
        Assert.Contains("takes 6: BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2", result.Error);
    }

    [Fact]
    public void PredictRefusesWeightsTrainedForAnotherModel()
    {
        string other = CliRunner.TempModel(File.ReadAllText(TrainPredictFixture.ModelFile).Replace("model WaterPrithviTiny", "model OtherWater", StringComparison.Ordinal));
        var result = CliRunner.Run("predict", other, "--weights", run.Weights, "--input", run.Data.ImagePaths[0], "--output", TempPath("never.tif"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("was trained for model WaterPrithviTiny", result.Error);
        Assert.Contains("not OtherWater", result.Error);
    }

    [Fact]
    public void PredictWithMissingWeightsSaysWhichFile()
    {
        string missing = TempPath("missing.safetensors");
        var result = CliRunner.Run("predict", TrainPredictFixture.ModelFile, "--weights", missing, "--input", run.Data.ImagePaths[0], "--output", TempPath("never.tif"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--weights '{missing}' does not exist", result.Error);
    }

    [Fact]
    public void TrainRefusesToReplaceAnEarlierRunAndLeavesItsWeightsAlone()
    {
        byte[] before = File.ReadAllBytes(run.Weights);
        var result = CliRunner.Run("train", TrainPredictFixture.ModelFile, "--data", run.Data.Folder, "--epochs", "1", "--out", run.RunFolder, "--progress", "off");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already holds a run", result.Error);
        Assert.Contains("--overwrite", result.Error);
        Assert.Equal(before, File.ReadAllBytes(run.Weights));
    }

    [Fact]
    public void TrainWithAMissingDataFolderSaysWhichFolder()
    {
        string missing = TempPath("no-data");
        var result = CliRunner.Run("train", TrainPredictFixture.ModelFile, "--data", missing, "--out", TempPath("run"), "--progress", "off");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{Path.Combine(missing, "images")}' does not exist", result.Error);
    }

    [Fact]
    public void TrainOfAMissingModelFileSaysSo()
    {
        string missing = TempPath("absent.geomodel");
        var result = CliRunner.Run("train", missing, "--data", run.Data.Folder, "--out", TempPath("run"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{missing}' does not exist", result.Error);
    }

    [Fact]
    public void TrainOfAModelWithErrorsPrintsItsDiagnosticsAsCheckDoesAndExits1()
    {
        string path = CliRunner.TempModel("model Broken : segmentation {\n    input { bands = [BLUE] }\n    backbone prithvi_eo_tiny\n}\n");
        string runFolder = TempPath("run");
        var result = CliRunner.Run("train", path, "--data", run.Data.Folder, "--out", runFolder);
        var check = CliRunner.Run("check", path);
        Assert.Equal(1, result.ExitCode);
        string diagnostic = check.Output.Split('\n')[0].Trim();
        Assert.StartsWith(path + "(1,", diagnostic, StringComparison.Ordinal);
        Assert.Contains(diagnostic, result.Error);
        Assert.Contains("Broken has errors; fix them before training.", result.Error);
        Assert.False(Directory.Exists(runFolder));
    }

    [Fact]
    public void TrainWithoutDataSaysHowToGiveIt()
    {
        var result = CliRunner.Run("train", TrainPredictFixture.ModelFile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data DIR", result.Error);
        Assert.Equal(string.Empty, result.Output.Trim());
    }
}
