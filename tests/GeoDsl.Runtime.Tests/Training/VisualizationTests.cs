using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Visualization;
using SkiaSharp;

namespace GeoDsl.Runtime.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class VisualizationTests
{
    private readonly TinyWaterTraining data;

    public VisualizationTests(TinyWaterTraining data) => this.data = data;

    [Fact]
    public void ThePredictionPreviewIsAPngWithOneRowPerChip()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        string path = PredictionPreview.Write(data.Scratch($"preview-{Guid.NewGuid():N}.png"), model, data.HeldOut,
            new PredictionPreviewOptions { SampleCount = 3, PanelSize = 64, ClassNames = new[] { "land", "water" } });
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Height > 3 * 64 && bitmap.Width > 4 * 64);
    }

    [Fact]
    public void TheCurvesAreAPng()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, new TrainingOptions { Progress = TrainingProgressMode.Off });
        string path = TrainingCurves.Write(data.Scratch($"curves-{Guid.NewGuid():N}.png"), report, 600, 300);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(600, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
    }

    [Theory]
    [InlineData(10, 4, new[] { 0, 3, 6, 9 })]
    [InlineData(3, 5, new[] { 0, 1, 2 })]
    [InlineData(7, 1, new[] { 0 })]
    public void SamplesAreSpreadEvenlyOverTheDataSet(int count, int wanted, int[] expected) =>
        Assert.Equal(expected, PredictionPreview.EvenlySpaced(count, wanted));

    [Fact]
    public void PercentilesInterpolateBetweenSortedValues()
    {
        var values = Enumerable.Range(0, 101).Select(i => (float)i).Reverse().ToArray();
        Assert.Equal((2.0, 98.0), RgbComposite.Percentiles(values, 2, 98));
        Assert.Equal((0.5, 0.5), RgbComposite.Percentiles(new float[] { 0, 1, float.NaN }, 50, 50));
    }

    [Fact]
    public void TrueColourUsesTheRedGreenAndBlueBandsByName()
    {
        var sample = data.HeldOut[0];
        // The synthetic scenes' bands are BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2.
        Assert.Equal(new[] { 2, 1, 0 }, RgbComposite.FindTrueColorChannels(data.HeldOut, sample));
    }

    [Fact]
    public void TheEpochLineCarriesLossesAndTheHeldOutScore()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, new TrainingOptions { Progress = TrainingProgressMode.Off, Epochs = 1 });
        string line = EpochLine.Format(report.Epochs[0]);
        Assert.StartsWith("epoch 1/1  train loss ", line);
        Assert.Contains("val loss ", line);
        Assert.Contains("val mIoU ", line);
        Assert.EndsWith("best", line);
    }
}
