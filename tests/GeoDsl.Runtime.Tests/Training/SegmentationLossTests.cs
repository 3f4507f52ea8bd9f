using GeoDsl.Runtime.Training.Losses;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

public sealed class SegmentationLossTests
{
    private const double Tolerance = 1e-5;

    // Three pixels in a row ([B=1, K=2, H=1, W=3]): pixel 0 has logits (0, 0) and label 0, pixel 1 has logits
    // (ln 3, 0) and label 1, pixel 2 has logits (5, −5) and is ignored. Softmax: (½, ½), (¾, ¼), (≈1, ≈0).
    private static Tensor Logits() => tensor(new float[] { 0f, MathF.Log(3f), 5f, 0f, 0f, -5f }, new long[] { 1, 2, 1, 3 });

    private static Tensor Labels(params long[] labels) => tensor(labels, new long[] { 1, 1, labels.Length });

    private static double Value(TrainingLoss loss, Tensor logits, Tensor labels) => loss.Compute(logits, labels).item<float>();

    [Fact]
    public void CrossEntropyAveragesOverCountedPixels()
    {
        double expected = (-Math.Log(0.5) - Math.Log(0.25)) / 2;
        Assert.Equal(expected, Value(new CrossEntropyLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void CrossEntropyWithClassWeightsIsTheWeightedMean()
    {
        // Σ w[y]·nll / Σ w[y] with weights (1, 3).
        double expected = (1 * -Math.Log(0.5) + 3 * -Math.Log(0.25)) / (1 + 3);
        Assert.Equal(expected, Value(new CrossEntropyLoss(-1, new[] { 1.0, 3.0 }), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void CrossEntropyMatchesTorchWithIgnoreIndexAndWeights()
    {
        var weights = tensor(new float[] { 0.5f, 2f });
        double torchValue = nn.functional.cross_entropy(Logits(), Labels(0, 1, -1), weights, ignore_index: -1).item<float>();
        Assert.Equal(torchValue, Value(new CrossEntropyLoss(-1, new[] { 0.5, 2.0 }), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void CrossEntropyOfAFullyIgnoredBatchIsZeroNotNaN()
    {
        Assert.Equal(0.0, Value(new CrossEntropyLoss(-1), Logits(), Labels(-1, -1, -1)));
    }

    [Fact]
    public void CrossEntropyRefusesAWrongNumberOfClassWeights()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(-1, new[] { 1.0, 2.0, 3.0 }).Compute(Logits(), Labels(0, 1, -1)));
        Assert.Contains("3 weights", error.Message);
    }

    [Fact]
    public void DiceIsOneMinusTheSoftDicePerClassAveragedOverClasses()
    {
        // Class 0: Σp·t = ½, Σ(p + t) = (½ + ¾) + 1 → dice 1/2.25. Class 1: Σp·t = ¼, Σ(p + t) = (½ + ¼) + 1 → dice 0.5/1.75.
        double expected = ((1 - 1 / 2.25) + (1 - 0.5 / 1.75)) / 2;
        Assert.Equal(expected, Value(new DiceLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void DiceGivesZeroForAClassWithoutTruePixelsButStillDividesByAllClasses()
    {
        // Only class 0 is labelled: Σp·t = ½ + ¾, Σ(p + t) = 1.25 + 2 → dice 2.5/3.25; class 1 contributes 0.
        double expected = (1 - 2.5 / 3.25) / 2;
        Assert.Equal(expected, Value(new DiceLoss(-1), Logits(), Labels(0, 0, -1)), Tolerance);
    }

    [Fact]
    public void DiceLeavesIgnoredPixelsOut()
    {
        // The ignored pixel's confident (≈1, ≈0) prediction must not change anything: same as a 2-pixel image.
        var twoPixels = tensor(new float[] { 0f, MathF.Log(3f), 0f, 0f }, new long[] { 1, 2, 1, 2 });
        Assert.Equal(Value(new DiceLoss(-1), twoPixels, Labels(0, 1)), Value(new DiceLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void JaccardIsOneMinusTheSoftIoUPerClass()
    {
        // Class 0: ½ / (2.25 − ½); class 1: ¼ / (1.75 − ¼).
        double expected = ((1 - 0.5 / 1.75) + (1 - 0.25 / 1.5)) / 2;
        Assert.Equal(expected, Value(new JaccardLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void FocalIsTheNormalisedOneVersusRestSigmoidFocalLossSummedOverClasses()
    {
        // Per class c and counted pixel: BCE of sigmoid(logit_c) against [y = c], focal term (1 − e^−BCE)²;
        // class loss = Σ term·BCE / Σ term / pixels; total = Σ over classes.
        double[,] logits = { { 0, Math.Log(3) }, { 0, 0 } }; // [class, pixel]
        int[] labels = { 0, 1 };
        double total = 0;
        for (int c = 0; c < 2; c++)
        {
            double weighted = 0, terms = 0;
            for (int p = 0; p < 2; p++)
            {
                double x = logits[c, p];
                double t = labels[p] == c ? 1 : 0;
                double bce = Math.Max(x, 0) - x * t + Math.Log(1 + Math.Exp(-Math.Abs(x)));
                double term = Math.Pow(1 - Math.Exp(-bce), 2);
                weighted += term * bce;
                terms += term;
            }

            total += weighted / terms / 2;
        }

        Assert.Equal(total, Value(new FocalLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void FocalWithoutNormalisationIsTheMeanFocalTermTimesBce()
    {
        double x = 2, bce1 = Math.Log(1 + Math.Exp(-x)), bce0 = x + Math.Log(1 + Math.Exp(-x));
        // One pixel, label 0, logits (2, 2): class 0 is a positive with logit 2, class 1 a negative with logit 2.
        double expected = Math.Pow(1 - Math.Exp(-bce1), 2) * bce1 + Math.Pow(1 - Math.Exp(-bce0), 2) * bce0;
        var logits = tensor(new float[] { 2f, 2f }, new long[] { 1, 2, 1, 1 });
        Assert.Equal(expected, Value(new FocalLoss(-1, normalized: false), logits, Labels(0)), Tolerance);
    }

    [Fact]
    public void LovaszSoftmaxMatchesTheHandComputedExtension()
    {
        // Class 0: errors (½, ¾) sorted ¾ (background), ½ (foreground) → gradient (½, ½) → 0.625.
        // Class 1: errors (½, ¾) sorted ¾ (foreground), ½ (background) → gradient (1, 0) → 0.75.
        Assert.Equal((0.625 + 0.75) / 2, Value(new LovaszSoftmaxLoss(-1), Logits(), Labels(0, 1, -1)), Tolerance);
    }

    [Fact]
    public void EveryLossHasAGradientThatLowersIt()
    {
        foreach (var loss in new TrainingLoss[] { new CrossEntropyLoss(-1), new DiceLoss(-1), new JaccardLoss(-1), new FocalLoss(-1), new LovaszSoftmaxLoss(-1) })
        {
            var logits = Logits().requires_grad_(true);
            var value = loss.Compute(logits, Labels(0, 1, -1));
            value.backward();
            using var noGrad = no_grad();
            var stepped = logits - 0.5 * logits.grad!;
            Assert.True(loss.Compute(stepped, Labels(0, 1, -1)).item<float>() < value.item<float>(), loss.Name);
        }
    }

    [Fact]
    public void LossesNameTheShapesTheyWereGiven()
    {
        var error = Assert.Throws<ArgumentException>(() => new DiceLoss(-1).Compute(zeros(1, 2, 4, 4), zeros(new long[] { 1, 3, 3 }, ScalarType.Int64)));
        Assert.Contains("[1, 2, 4, 4]", error.Message);
        Assert.Contains("[1, 3, 3]", error.Message);
    }

    [Theory]
    [InlineData("ce", typeof(CrossEntropyLoss))]
    [InlineData("dice", typeof(DiceLoss))]
    [InlineData("jaccard", typeof(JaccardLoss))]
    [InlineData("focal", typeof(FocalLoss))]
    [InlineData("lovasz", typeof(LovaszSoftmaxLoss))]
    public void TheTrainBlockNamePicksTheLoss(string name, Type type)
    {
        var loss = TrainingLosses.Segmentation(name, -1);
        Assert.IsType(type, loss);
        Assert.Equal(name, loss.Name);
    }

    [Fact]
    public void ClassWeightsWithALossOtherThanCrossEntropyAreRefused()
    {
        var error = Assert.Throws<NotSupportedException>(() => TrainingLosses.Segmentation("dice", -1, new[] { 1.0, 2.0 }));
        Assert.Contains("ce", error.Message);
    }
}
