using System;
using System.Linq;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// Per-band mean and population standard deviation over many images, skipping nodata and NaN pixels.
/// Each image's sum is taken in double and merged with Chan et al.'s parallel formula, which stays accurate
/// over millions of pixels where a running sum of squares would lose digits.
/// </summary>
internal sealed class BandStatisticsAccumulator
{
    private readonly long[] counts;
    private readonly double[] means;
    private readonly double[] squaredDeviations;
    private readonly double[] minima;
    private readonly double[] maxima;

    public BandStatisticsAccumulator(int bands)
    {
        counts = new long[bands];
        means = new double[bands];
        squaredDeviations = new double[bands];
        minima = Enumerable.Repeat(double.PositiveInfinity, bands).ToArray();
        maxima = Enumerable.Repeat(double.NegativeInfinity, bands).ToArray();
    }

    public int Bands => counts.Length;

    public long PixelCount(int band) => counts[band];

    public void Add(int band, ReadOnlySpan<float> values, Func<double, bool> isNoData)
    {
        long n = 0;
        double sum = 0;
        foreach (float v in values)
        {
            if (!float.IsNaN(v) && !isNoData(v))
            {
                n++;
                sum += v;
                minima[band] = Math.Min(minima[band], v);
                maxima[band] = Math.Max(maxima[band], v);
            }
        }

        if (n == 0)
        {
            return;
        }

        double mean = sum / n;
        double deviations = 0;
        foreach (float v in values)
        {
            if (!float.IsNaN(v) && !isNoData(v))
            {
                double d = v - mean;
                deviations += d * d;
            }
        }

        long total = counts[band] + n;
        double delta = mean - means[band];
        means[band] += delta * n / total;
        squaredDeviations[band] += deviations + delta * delta * counts[band] * n / total;
        counts[band] = total;
    }

    public double[] Means => means.ToArray();

    /// <summary>The smallest valid value of each band (+∞ for a band without one).</summary>
    public double[] Minima => minima.ToArray();

    /// <summary>The largest valid value of each band (−∞ for a band without one).</summary>
    public double[] Maxima => maxima.ToArray();

    public double[] StandardDeviations => Enumerable.Range(0, Bands)
        .Select(b => counts[b] == 0 ? 0 : Math.Sqrt(squaredDeviations[b] / counts[b]))
        .ToArray();
}
