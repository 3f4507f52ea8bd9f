using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using static TorchSharp.torch;

namespace GeoDsl.Bench.Runtime;

/// <summary>Medians and the machine's matmul peak, measured the same way by every bench here.</summary>
public static class Timing
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to take the median of.", nameof(values));
        }

        var sorted = values.OrderBy(v => v).ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The fp32 matrix-multiply rate libtorch reaches here: the median over <paramref name="repeats"/> products of two
    /// n×n matrices (2n³ FLOPs each), after two warm-up products. This is the "peak" training FLOP/s are compared with.
    /// </summary>
    public static double MatmulFlopsPerSecond(int n = 2048, int repeats = 7)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        var times = new List<double>();
        for (int i = 0; i < repeats + 2; i++)
        {
            double seconds = Seconds(() =>
            {
                using var product = a.mm(b);
            });
            if (i >= 2)
            {
                times.Add(seconds);
            }
        }

        return 2.0 * n * n * n / Median(times);
    }
}
