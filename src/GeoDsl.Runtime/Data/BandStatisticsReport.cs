using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Data;

/// <summary>One band's statistics over valid pixels (neither nodata nor NaN): count, mean, population std, range.</summary>
public sealed record BandStatistic(int Band, string? Name, long PixelCount, double Mean, double Std, double Min, double Max);

/// <summary>
/// Per-band statistics of a set of images, for normalisation: what a <c>stats</c> command prints and what
/// <see cref="ToNormalization"/> turns into <see cref="ChipDatasetOptions.Normalization"/>. Computed in one pass per
/// image with Chan et al.'s merge (see <see cref="BandStatisticsAccumulator"/>), one image in memory at a time.
/// </summary>
public sealed record BandStatisticsReport(IReadOnlyList<BandStatistic> Bands, int ImageCount)
{
    /// <summary>Statistics of the selected bands of the data set's images (training images only, so nothing leaks from held-out data).</summary>
    public static BandStatisticsReport Compute(ChipDatasetOptions options)
    {
        var pairs = ChipPairing.Pair(options);
        return Compute(pairs.Select(pair => (pair.ImagePath, (Func<GeoRaster>)(() =>
            GeoTiffChipDataset.Guard(pair, "image", () => GeoTiffChipDataset.ReadImage(options, pair))))).ToList(), options.Bands);
    }

    /// <summary>Statistics of the selected bands of the given GeoTIFFs (scenes or chips; masks not needed).</summary>
    public static BandStatisticsReport Compute(IReadOnlyList<string> imagePaths, BandSelection bands)
    {
        return Compute(imagePaths.Select(path => (path, (Func<GeoRaster>)(() =>
            bands.Names is { } names ? GeoTiffReader.Read(path, names)
            : bands.Indices is { } indices ? GeoTiffReader.Read(path, indices)
            : GeoTiffReader.Read(path)))).ToList(), bands);
    }

    /// <summary>
    /// Statistics of every GeoTIFF (.tif, .tiff) in <paramref name="folder"/>, in name order: what a <c>stats</c> command
    /// runs on a folder of training images.
    /// </summary>
    public static BandStatisticsReport ComputeForFolder(string folder, BandSelection bands)
    {
        if (!Directory.Exists(folder))
        {
            throw new ChipDatasetException($"The image folder '{folder}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        var images = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (images.Count == 0)
        {
            throw new ChipDatasetException($"The folder '{folder}' holds no GeoTIFF (.tif or .tiff); point at the folder of training images.");
        }

        return Compute(images, bands);
    }

    /// <summary>Means and stds for normalisation; refuses bands without a valid pixel or with a constant value (std 0).</summary>
    public BandNormalization ToNormalization()
    {
        foreach (var band in Bands)
        {
            string name = band.Name ?? $"#{band.Band}";
            if (band.PixelCount == 0)
            {
                throw new ChipDatasetException($"Band {band.Band} ({name}) has no valid pixel in any of the {ImageCount} images (all nodata or NaN); it cannot be normalised. Drop it from the selection.");
            }

            if (band.Std == 0)
            {
                throw new ChipDatasetException(
                    $"Band {band.Band} ({name}) is the constant {band.Mean.ToString(CultureInfo.InvariantCulture)} in all {ImageCount} images, so its std is 0. " +
                    "Drop it from the selection, or normalise it with std 1.");
            }
        }

        return new BandNormalization(Bands.Select(b => b.Mean).ToArray(), Bands.Select(b => b.Std).ToArray());
    }

    /// <summary>A table for people: one line per band.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{ImageCount} image(s)\n");
        text.Append("band  name            pixels          mean           std           min           max\n");
        foreach (var b in Bands)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{b.Band,4}  {b.Name ?? "-",-12} {b.PixelCount,10} {b.Mean,13:G7} {b.Std,13:G7} {b.Min,13:G7} {b.Max,13:G7}\n");
        }

        return text.ToString();
    }

    /// <summary>JSON for tools: {"images": n, "bands": [{"band", "name", "pixels", "mean", "std", "min", "max"}], "means": [...], "stds": [...]}.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        images = ImageCount,
        bands = Bands.Select(b => new { band = b.Band, name = b.Name, pixels = b.PixelCount, mean = b.Mean, std = b.Std, min = Finite(b.Min), max = Finite(b.Max) }),
        means = Bands.Select(b => b.Mean),
        stds = Bands.Select(b => b.Std),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static BandStatisticsReport Compute(IReadOnlyList<(string Path, Func<GeoRaster> Read)> images, BandSelection selection)
    {
        if (images.Count == 0)
        {
            throw new ChipDatasetException("No image to compute statistics from; give at least one GeoTIFF.");
        }

        BandStatisticsAccumulator? statistics = null;
        GeoRaster? first = null;
        foreach (var (path, read) in images)
        {
            var raster = read();
            first ??= raster;
            statistics ??= new BandStatisticsAccumulator(raster.BandCount);
            if (raster.BandCount != statistics.Bands)
            {
                throw new ChipDatasetException(
                    $"Image '{path}' gives {raster.BandCount} band(s) for {selection}, image '{first.SourcePath}' gave {statistics.Bands}. " +
                    "Give every image the same bands, or select bands by name.",
                    path);
            }

            for (int band = 0; band < raster.BandCount; band++)
            {
                statistics.Add(band, raster.Band(band), raster.IsNoData);
            }
        }

        var means = statistics!.Means;
        var stds = statistics.StandardDeviations;
        var minima = statistics.Minima;
        var maxima = statistics.Maxima;
        var bands = Enumerable.Range(0, statistics.Bands)
            .Select(b => new BandStatistic(b, first!.BandDescriptions[b], statistics.PixelCount(b), means[b], stds[b], minima[b], maxima[b]))
            .ToArray();
        return new BandStatisticsReport(bands, images.Count);
    }
}
