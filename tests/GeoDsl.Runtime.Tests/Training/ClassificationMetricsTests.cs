using GeoDsl.Runtime.Training.Losses;
using GeoDsl.Runtime.Training.Metrics;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

public sealed class ClassificationMetricsTests
{
    private const double Tolerance = 1e-12;

    private static Tensor OneHotLogits(long[] predicted, int classes) =>
        nn.functional.one_hot(tensor(predicted), classes).to(ScalarType.Float32) * 5;

    [Fact]
    public void ImageScoresMatchTheHandComputedMatrixOverTwoBatchesAndSkipIgnoredImages()
    {
        // truth → prediction: 0→0, 0→0, 0→1, 1→1, 1→2, 2→2, 2→2; the last image is ignored. Split over two batches.
        var metrics = new SegmentationMetricAccumulator(ignoreIndex: -1, imageLevel: true);
        metrics.Add(OneHotLogits(new long[] { 0, 0, 1 }, 3), tensor(new long[] { 0, 0, 0 }));
        metrics.Add(OneHotLogits(new long[] { 1, 2, 2, 2, 0 }, 3), tensor(new long[] { 1, 1, 2, 2, -1 }));
        var scores = Assert.IsType<ClassificationMetrics>(metrics.Compute());

        Assert.Equal(7, scores.SampleCount);
        Assert.Equal(5.0 / 7, scores.Accuracy, Tolerance);
        // Recall: 2/3, 1/2, 2/2; precision: 2/2, 1/2, 2/3; F1 = 2TP/(2TP+FP+FN): 4/5, 2/4, 4/5.
        Assert.Equal((2.0 / 3 + 1.0 / 2 + 1.0) / 3, scores.MacroAccuracy, Tolerance);
        Assert.Equal((1.0 + 1.0 / 2 + 2.0 / 3) / 3, scores.MacroPrecision, Tolerance);
        Assert.Equal((4.0 / 5 + 2.0 / 4 + 4.0 / 5) / 3, scores.MacroF1, Tolerance);
        Assert.Equal(new[] { 4.0 / 5, 2.0 / 4, 4.0 / 5 }, scores.ClassF1.Select(v => Math.Round(v, 12)));
        Assert.Equal("accuracy", scores.PrimaryName);
    }

    [Fact]
    public void MultiLabelScoresMatchHandCountsAndIgnoreUnknownLabels()
    {
        // Three images, three labels; logits > 0 mean "predicted". Target −1 marks an unknown label.
        var logits = tensor(new float[] { 2, -1, 3, /**/ 1, 1, -2, /**/ -3, 2, 4 }).reshape(3, 3);
        var target = tensor(new float[] { 1, 0, 0, /**/ 1, 0, -1, /**/ 0, 1, 1 }).reshape(3, 3);
        var metrics = new MultiLabelMetricAccumulator(ignoreIndex: -1);
        metrics.Add(logits.narrow(0, 0, 2), target.narrow(0, 0, 2));
        metrics.Add(logits.narrow(0, 2, 1), target.narrow(0, 2, 1));
        var scores = Assert.IsType<MultiLabelMetrics>(metrics.Compute());

        // Label 0: TP 2, FP 0, FN 0, TN 1. Label 1: TP 1, FP 1, FN 0, TN 1. Label 2: TP 1, FP 1, FN 0 (one unknown).
        Assert.Equal(new[] { 1.0, 2.0 / 3, 2.0 / 3 }, scores.LabelF1.Select(v => Math.Round(v, 12)).ToArray(), new RoundedComparer());
        Assert.Equal((1.0 + 2.0 / 3 + 2.0 / 3) / 3, scores.MacroF1, Tolerance);
        Assert.Equal((1.0 + 0.5 + 0.5) / 3, scores.MacroPrecision, Tolerance);
        Assert.Equal(1.0, scores.MacroRecall, Tolerance);
        // Pooled: TP 4, FP 2, FN 0.
        Assert.Equal(8.0 / 10, scores.MicroF1, Tolerance);
        Assert.Equal(4.0 / 6, scores.MicroPrecision, Tolerance);
        Assert.Equal(6.0 / 8, scores.Accuracy, Tolerance); // 8 decisions counted, 2 wrong
    }

    [Fact]
    public void BinaryCrossEntropyAveragesOverKnownLabelsOnly()
    {
        var logits = tensor(new float[] { 0f, 2f, -1f, 5f }).reshape(2, 2);
        var target = tensor(new float[] { 1f, 0f, -1f, 1f }).reshape(2, 2);
        double Bce(double x, double y) => -(y * Math.Log(1 / (1 + Math.Exp(-x))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-x))));
        double expected = (Bce(0, 1) + Bce(2, 0) + Bce(5, 1)) / 3;
        Assert.Equal(expected, new BinaryCrossEntropyLoss(-1).Compute(logits, target).item<float>(), 5);
    }

    [Fact]
    public void ClassificationCrossEntropyUsesClassWeightsAndTheIgnoreIndex()
    {
        var logits = tensor(new float[] { 1f, 0f, /**/ 0f, 2f, /**/ 3f, 3f }).reshape(3, 2);
        var labels = tensor(new long[] { 0, 0, -1 });
        var loss = new ImageLabelLoss(new CrossEntropyLoss(-1, new[] { 2.0, 1.0 }));
        double first = Math.Log(1 + Math.Exp(-1)), second = Math.Log(1 + Math.Exp(2));
        // Both counted images are class 0 (weight 2): (2·l₁ + 2·l₂) / (2 + 2).
        Assert.Equal((first + second) / 2, loss.Compute(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void SegmentationAccuracyIsTheMeanOfPerClassRecall()
    {
        var matrix = new ConfusionMatrix(3, -1);
        matrix.AddLabels(tensor(new long[] { 0, 1, 0, 1, 2, 2, 0 }), tensor(new long[] { 0, 0, 0, 1, 1, 2, -1 }));
        var scores = matrix.Compute();
        // Recall per class: 2/3, 1/2, 1/1.
        Assert.Equal((2.0 / 3 + 1.0 / 2 + 1.0) / 3, scores.MeanAccuracy, Tolerance);
        Assert.Equal(4.0 / 6, scores.PixelAccuracy, Tolerance);
        Assert.Equal(scores.MeanAccuracy, scores.Scalars["accuracy"]);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
