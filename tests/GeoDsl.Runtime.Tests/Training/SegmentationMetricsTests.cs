using GeoDsl.Runtime.Training.Metrics;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

public sealed class SegmentationMetricsTests
{
    private const double Tolerance = 1e-12;

    private static ConfusionMatrix FromLabels(int classes, long[] truth, long[] predicted, long ignoreIndex = -1)
    {
        var matrix = new ConfusionMatrix(classes, ignoreIndex);
        matrix.AddLabels(tensor(predicted), tensor(truth));
        return matrix;
    }

    [Fact]
    public void ThreeClassScoresMatchTheHandComputedMatrixAndIgnoredPixelsDoNotCount()
    {
        // truth → prediction: 0→0 ×2, 0→1, 1→1, 1→2, 2→2; the last two pixels are ignored whatever is predicted.
        var matrix = FromLabels(3, new long[] { 0, 0, 0, 1, 1, 2, -1, -1 }, new long[] { 0, 1, 0, 1, 2, 2, 0, 1 });
        Assert.Equal(2, matrix[0, 0]);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(1, matrix[1, 1]);
        Assert.Equal(1, matrix[1, 2]);
        Assert.Equal(1, matrix[2, 2]);
        Assert.Equal(6, matrix.Total);

        var scores = matrix.Compute();
        // IoU: class 0 = 2/(2+0+1), class 1 = 1/(1+1+1), class 2 = 1/(1+1+0).
        Assert.Equal(2.0 / 3, scores.ClassIoU[0], Tolerance);
        Assert.Equal(1.0 / 3, scores.ClassIoU[1], Tolerance);
        Assert.Equal(1.0 / 2, scores.ClassIoU[2], Tolerance);
        Assert.Equal((2.0 / 3 + 1.0 / 3 + 1.0 / 2) / 3, scores.MeanIoU, Tolerance);
        // F1 = 2TP / (2TP + FP + FN).
        Assert.Equal(4.0 / 5, scores.ClassF1[0], Tolerance);
        Assert.Equal(2.0 / 4, scores.ClassF1[1], Tolerance);
        Assert.Equal(2.0 / 3, scores.ClassF1[2], Tolerance);
        Assert.Equal((4.0 / 5 + 2.0 / 4 + 2.0 / 3) / 3, scores.MeanF1, Tolerance);
        // Micro IoU: ΣTP / Σ(TP + FP + FN) = 4 / (4 + 2 + 2); accuracy 4 of 6 counted pixels.
        Assert.Equal(4.0 / 8, scores.MicroIoU, Tolerance);
        Assert.Equal(4.0 / 6, scores.PixelAccuracy, Tolerance);
        Assert.Equal(6, scores.PixelCount);
        Assert.Equal("mIoU", scores.PrimaryName);
        Assert.Equal(scores.MeanIoU, scores.Primary);
    }

    [Fact]
    public void AClassAbsentFromLabelsAndPredictionsIsLeftOutOfTheMean()
    {
        var scores = FromLabels(3, new long[] { 0, 0, 1, 1 }, new long[] { 0, 0, 1, 0 }).Compute();
        Assert.True(double.IsNaN(scores.ClassIoU[2]));
        Assert.True(double.IsNaN(scores.ClassF1[2]));
        Assert.False(scores.ClassPresent[2]);
        // Class 0: 2/(2+1+0); class 1: 1/(1+0+1).
        Assert.Equal((2.0 / 3 + 1.0 / 2) / 2, scores.MeanIoU, Tolerance);
    }

    [Fact]
    public void AClassOnlyPredictedCountsWithIoUZero()
    {
        var scores = FromLabels(3, new long[] { 0, 0 }, new long[] { 0, 2 }).Compute();
        Assert.Equal(0.0, scores.ClassIoU[2]);
        Assert.True(scores.ClassPresent[2]);
        Assert.False(scores.ClassPresent[1]);
        Assert.Equal((0.5 + 0.0) / 2, scores.MeanIoU, Tolerance);
    }

    [Fact]
    public void AnIgnoreIndexInsideTheClassRangeIsStillIgnored()
    {
        var scores = FromLabels(3, new long[] { 0, 1, 2, 2 }, new long[] { 0, 1, 0, 1 }, ignoreIndex: 2).Compute();
        Assert.Equal(2, scores.PixelCount);
        Assert.Equal(1.0, scores.MeanIoU, Tolerance);
    }

    [Fact]
    public void EpochScoresComeFromTheSummedMatrixNotFromAveragingBatches()
    {
        // A tiny batch the model gets wrong and a large one it gets right: the epoch mIoU weighs pixels, not batches.
        var epoch = new ConfusionMatrix(2);
        epoch.AddLabels(tensor(new long[] { 0, 1 }), tensor(new long[] { 1, 0 }));
        var large = Enumerable.Range(0, 100).Select(i => (long)(i % 2)).ToArray();
        epoch.AddLabels(tensor(large), tensor(large));

        var whole = FromLabels(2, new long[] { 1, 0 }.Concat(large).ToArray(), new long[] { 0, 1 }.Concat(large).ToArray()).Compute();
        var scores = epoch.Compute();
        Assert.Equal(whole.MeanIoU, scores.MeanIoU, Tolerance);
        // Each class: TP 50, FP 1, FN 1.
        Assert.Equal(50.0 / 52, scores.MeanIoU, Tolerance);
        double batchAverage = (0.0 + 1.0) / 2;
        Assert.NotEqual(batchAverage, scores.MeanIoU, 3);
    }

    [Fact]
    public void LogitsArePredictedByArgMaxOverTheClassDimension()
    {
        // [B=1, K=2, H=1, W=3]: pixel 0 → class 1, pixel 1 → class 0, pixel 2 → class 1.
        var logits = tensor(new float[] { 0, 5, -1, 2, 3, 1 }, new long[] { 1, 2, 1, 3 });
        var labels = tensor(new long[] { 1, 0, 0 }, new long[] { 1, 1, 3 });
        var matrix = new ConfusionMatrix(2);
        matrix.AddLogits(logits, labels);
        Assert.Equal(1, matrix[1, 1]);
        Assert.Equal(1, matrix[0, 0]);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(0, matrix[1, 0]);
    }

    [Fact]
    public void LabelsOutsideTheClassesAreReportedNotCounted()
    {
        var matrix = new ConfusionMatrix(2);
        var error = Assert.Throws<ArgumentException>(() => matrix.AddLabels(tensor(new long[] { 0, 1 }), tensor(new long[] { 0, 255 })));
        Assert.Contains("255", error.Message);
        Assert.Contains("ignore index -1", error.Message);
        Assert.Equal(0, matrix.Total);
    }

    [Fact]
    public void NoCountedPixelGivesNaNScores()
    {
        var scores = FromLabels(2, new long[] { -1, -1 }, new long[] { 0, 1 }).Compute();
        Assert.Equal(0, scores.PixelCount);
        Assert.True(double.IsNaN(scores.MeanIoU));
        Assert.True(double.IsNaN(scores.PixelAccuracy));
        Assert.False(TaskMetrics.IsBetter(scores, null));
    }

    [Fact]
    public void TheAccumulatorTakesTheClassCountFromTheFirstBatch()
    {
        var accumulator = new SegmentationMetricAccumulator(ignoreIndex: -1);
        accumulator.Add(zeros(2, 4, 3, 3), zeros(new long[] { 2, 3, 3 }, ScalarType.Int64));
        Assert.Equal(4, accumulator.Matrix!.ClassCount);
        var scores = (SegmentationMetrics)accumulator.Compute();
        Assert.Equal(1.0, scores.MeanIoU);
        Assert.Equal(1, scores.ClassPresent.Count(p => p));
    }

    [Fact]
    public void HigherMeanIoUIsBetter()
    {
        var worse = FromLabels(2, new long[] { 0, 1 }, new long[] { 0, 0 }).Compute();
        var better = FromLabels(2, new long[] { 0, 1 }, new long[] { 0, 1 }).Compute();
        Assert.True(TaskMetrics.IsBetter(better, worse));
        Assert.False(TaskMetrics.IsBetter(worse, better));
        Assert.True(TaskMetrics.IsBetter(worse, null));
    }
}
