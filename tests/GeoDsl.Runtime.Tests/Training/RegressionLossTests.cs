using GeoDsl.Runtime.Training.Losses;
using GeoDsl.Runtime.Training.Metrics;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

public sealed class RegressionLossTests
{
    private const double Tolerance = 1e-6;

    // One image of 2×3 pixels: errors 1, −2, 0.5, 3 on the counted pixels; one pixel marked −1 (ignore) and one NaN (nodata).
    private static (Tensor Output, Tensor Target) Example()
    {
        var output = tensor(new float[] { 2f, 0f, 1.5f, 9f, 7f, 5f }).reshape(1, 1, 2, 3);
        var target = tensor(new float[] { 1f, 2f, 1f, -1f, float.NaN, 2f }).reshape(1, 2, 3);
        return (output, target);
    }

    [Theory]
    [InlineData(RegressionLossKind.Mse, (1 + 4 + 0.25 + 9) / 4.0)]
    [InlineData(RegressionLossKind.Mae, (1 + 2 + 0.5 + 3) / 4.0)]
    [InlineData(RegressionLossKind.Rmse, 1.8874586088176875)] // √(14.25 / 4)
    [InlineData(RegressionLossKind.Huber, (0.5 + 1.5 + 0.125 + 2.5) / 4.0)] // ½e² below 1, |e| − ½ above
    public void EachLossMatchesTheHandComputedValueOverTheCountedPixelsOnly(RegressionLossKind kind, double expected)
    {
        var (output, target) = Example();
        Assert.Equal(expected, new MaskedRegressionLoss(kind).Compute(output, target).item<float>(), Tolerance);
    }

    [Fact]
    public void IgnoredAndNodataPixelsGetNoGradient()
    {
        var (output, target) = Example();
        var leaf = output.detach().requires_grad_(true);
        new MaskedRegressionLoss(RegressionLossKind.Mse).Compute(leaf, target).backward();
        var gradient = leaf.grad!.reshape(-1).data<float>().ToArray();
        Assert.Equal(0f, gradient[3]);
        Assert.Equal(0f, gradient[4]);
        Assert.Equal(2 * 1.0 / 4, gradient[0], Tolerance); // d(e²/4)/dŷ = 2e/4
    }

    [Fact]
    public void ABatchWithoutCountedPixelsGivesZeroNotNaN()
    {
        var output = tensor(new float[] { 1f, 2f }).reshape(1, 1, 1, 2);
        var target = tensor(new float[] { -1f, float.NaN }).reshape(1, 1, 2);
        Assert.Equal(0f, new MaskedRegressionLoss(RegressionLossKind.Rmse).Compute(output, target).item<float>());
    }

    [Fact]
    public void EpochScoresPoolThePixelsOfEveryBatch()
    {
        // Batch 1: targets 1, 2 predicted 2, 2; batch 2: targets 3, 6 (and an ignored pixel) predicted 3, 4.
        var metrics = new RegressionMetricAccumulator(ignoreIndex: -1);
        metrics.Add(tensor(new float[] { 2f, 2f }).reshape(1, 1, 1, 2), tensor(new float[] { 1f, 2f }).reshape(1, 1, 2));
        metrics.Add(tensor(new float[] { 3f, 4f, 8f }).reshape(1, 1, 1, 3), tensor(new float[] { 3f, 6f, -1f }).reshape(1, 1, 3));
        var scores = Assert.IsType<RegressionMetrics>(metrics.Compute());

        // Errors 1, 0, 0, −2: SSE 5, n 4; ȳ = 3, Σ(y − ȳ)² = 4 + 1 + 0 + 9 = 14.
        Assert.Equal(4, scores.PixelCount);
        Assert.Equal(5.0 / 4, scores.Mse, 12);
        Assert.Equal(Math.Sqrt(5.0 / 4), scores.Rmse, 12);
        Assert.Equal(3.0 / 4, scores.Mae, 12);
        Assert.Equal(1 - 5.0 / 14, scores.RSquared, 12);
        Assert.False(scores.HigherIsBetter);
        Assert.Equal(scores.Rmse, scores.Primary);
    }
}
