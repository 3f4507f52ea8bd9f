using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Visualization;

/// <summary>
/// A true-colour picture of a chip: its RED, GREEN and BLUE bands (found by name) each stretched linearly between two
/// percentiles of its own values, as GIS tools show reflectance. Stretching per chip makes normalised and raw values
/// look alike; without the three bands the first band is shown in grey.
/// </summary>
public static class RgbComposite
{
    public static readonly string[] TrueColorBands = { "RED", "GREEN", "BLUE" };

    /// <summary>The chip's channels holding RED, GREEN and BLUE, or null when one is missing.</summary>
    public static int[]? FindTrueColorChannels(GeoTiffChipDataset data, ChipSample sample)
    {
        IReadOnlyList<string?> names = ChannelNames(data, sample);
        var channels = TrueColorBands.Select(band => BandNames.TryIndexOf(names, band)).ToArray();
        return channels.All(c => c is int index && index < sample.Channels) ? channels.Select(c => c!.Value).ToArray() : null;
    }

    /// <summary>RGBA bytes, row-major, for the first frame of <paramref name="sample"/>.</summary>
    public static byte[] Render(GeoTiffChipDataset data, ChipSample sample, double lowPercentile = 2, double highPercentile = 98)
    {
        int pixels = sample.Width * sample.Height;
        int[] channels = FindTrueColorChannels(data, sample) ?? new[] { 0, 0, 0 };
        var rgba = new byte[pixels * 4];
        var image = sample.Image;
        for (int c = 0; c < 3; c++)
        {
            // Images are [C, T, H, W]: channel k's first frame starts at k·T·H·W.
            var band = image.Slice(channels[c] * sample.Frames * pixels, pixels);
            var (low, high) = Percentiles(band, lowPercentile, highPercentile);
            double scale = high > low ? 255.0 / (high - low) : 0;
            for (int i = 0; i < pixels; i++)
            {
                double value = (band[i] - low) * scale;
                rgba[i * 4 + c] = (byte)Math.Clamp(Math.Round(value), 0, 255);
            }
        }

        for (int i = 0; i < pixels; i++)
        {
            rgba[i * 4 + 3] = 255;
        }

        return rgba;
    }

    /// <summary>The values at two percentiles (0–100) of <paramref name="values"/>, NaNs skipped.</summary>
    public static (double Low, double High) Percentiles(ReadOnlySpan<float> values, double low, double high)
    {
        var sorted = new List<float>(values.Length);
        foreach (float value in values)
        {
            if (!float.IsNaN(value))
            {
                sorted.Add(value);
            }
        }

        if (sorted.Count == 0)
        {
            return (0, 0);
        }

        sorted.Sort();
        return (At(sorted, low), At(sorted, high));
    }

    private static double At(List<float> sorted, double percentile)
    {
        double position = Math.Clamp(percentile, 0, 100) / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static IReadOnlyList<string?> ChannelNames(GeoTiffChipDataset data, ChipSample sample)
    {
        var selection = data.Options.Bands;
        if (selection.Names is { } names)
        {
            return names.Take(sample.Channels).ToArray();
        }

        var descriptions = GeoTiffReader.ReadInfo(sample.Pair.ImagePath).BandDescriptions;
        if (selection.Indices is { } indices)
        {
            return indices.Take(sample.Channels).Select(i => i < descriptions.Count ? descriptions[i] : null).ToArray();
        }

        return descriptions.Take(sample.Channels).ToArray();
    }
}
