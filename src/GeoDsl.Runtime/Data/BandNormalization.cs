using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// Per-band standardisation, (value − mean) / std, one mean and std per selected band in selection order
/// (TerraTorch's <c>means</c>/<c>stds</c>). With several frames, one entry per band of a frame is also accepted
/// and applies to that band in every frame.
/// </summary>
public sealed record BandNormalization
{
    public BandNormalization(IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        if (means.Count != stds.Count)
        {
            throw new ArgumentException($"Give one std per mean: {means.Count} means, {stds.Count} stds.", nameof(stds));
        }

        if (means.Count == 0)
        {
            throw new ArgumentException("Give at least one mean and std.", nameof(means));
        }

        for (int i = 0; i < stds.Count; i++)
        {
            if (!(stds[i] > 0) || double.IsInfinity(stds[i]) || !double.IsFinite(means[i]))
            {
                throw new ArgumentException(
                    $"Band {i}: mean {means[i].ToString(CultureInfo.InvariantCulture)}, std {stds[i].ToString(CultureInfo.InvariantCulture)}; " +
                    "a std must be a positive finite number (a constant band has std 0: drop the band or give it std 1).",
                    nameof(stds));
            }
        }

        Means = means.ToArray();
        Stds = stds.ToArray();
    }

    public IReadOnlyList<double> Means { get; }

    public IReadOnlyList<double> Stds { get; }

    public int Count => Means.Count;

    public override string ToString() =>
        string.Join(", ", Means.Select((m, i) => string.Create(CultureInfo.InvariantCulture, $"{m:G6}±{Stds[i]:G6}")));
}
