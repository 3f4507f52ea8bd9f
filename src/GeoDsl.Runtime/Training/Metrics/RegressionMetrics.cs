using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Pixel-wise regression scores over a whole pass (TerraTorch's PixelwiseRegressionTask: RMSE, MSE, MAE, R²) from
/// running sums over the counted pixels: MSE = Σe²/n, RMSE = √MSE, MAE = Σ|e|/n, R² = 1 − Σe² / Σ(y − ȳ)², with
/// Σ(y − ȳ)² = Σy² − (Σy)²/n. Sums are kept in float64, so the scores do not depend on how the pass was batched.
/// </summary>
public sealed record RegressionMetrics(long PixelCount, double Mse, double Rmse, double Mae, double RSquared) : TaskMetrics
{
    public override string PrimaryName => "RMSE";

    public override double Primary => Rmse;

    public override bool HigherIsBetter => false;

    public override IReadOnlyDictionary<string, double> Scalars => new Dictionary<string, double>
    {
        ["RMSE"] = Rmse,
        ["MSE"] = Mse,
        ["MAE"] = Mae,
        ["R2"] = RSquared,
    };

    /// <summary>The scores of the sums n, Σe², Σ|e|, Σy, Σy².</summary>
    public static RegressionMetrics FromSums(double count, double squaredErrors, double absoluteErrors, double targets, double squaredTargets)
    {
        if (count == 0)
        {
            return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double mse = squaredErrors / count;
        double spread = squaredTargets - targets * targets / count;
        return new RegressionMetrics((long)count, mse, Math.Sqrt(mse), absoluteErrors / count, spread > 0 ? 1 - squaredErrors / spread : double.NaN);
    }
}

/// <summary>Collects <see cref="RegressionMetrics"/> sums batch by batch, leaving out the pixels the loss leaves out.</summary>
public sealed class RegressionMetricAccumulator : IMetricAccumulator
{
    private readonly MaskedRegressionLoss mask;
    private readonly double[] sums = new double[5];

    public RegressionMetricAccumulator(long ignoreIndex) => mask = new MaskedRegressionLoss(RegressionLossKind.Mse, ignoreIndex);

    public void Add(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prediction = MaskedRegressionLoss.Align(output, target).to(ScalarType.Float64);
        var counted = mask.Counted(target).to(ScalarType.Float64);
        var truth = target.to(ScalarType.Float64).masked_fill(counted.eq(0), 0);
        var error = (prediction - truth) * counted;
        var batch = stack(new[] { counted.sum(), error.square().sum(), error.abs().sum(), truth.sum(), truth.square().sum() }).cpu().data<double>().ToArray();
        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] += batch[i];
        }
    }

    public TaskMetrics Compute() => RegressionMetrics.FromSums(sums[0], sums[1], sums[2], sums[3], sums[4]);

    public double[] SaveState() => (double[])sums.Clone();

    public void RestoreState(double[] state)
    {
        if (state.Length != sums.Length)
        {
            throw new ArgumentException($"Regression metrics keep {sums.Length} sums; the saved state has {state.Length}.", nameof(state));
        }

        state.CopyTo(sums, 0);
    }
}
