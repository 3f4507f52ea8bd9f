using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// A georeferenced multi-band raster held in memory, one row-major array per band.
/// Pixels are kept as <see cref="float"/> (what models consume); for Int32, UInt32 and Float64, whose values
/// float cannot hold exactly, an exact double copy is kept too and <see cref="ExactValue"/> reads it.
/// A record so that <c>raster with { Epsg = 32633 }</c> changes metadata without copying pixels
/// (copies share the pixel arrays, which nothing here modifies).
/// </summary>
public sealed record GeoRaster
{
    private readonly float[][] bands;
    private readonly double[][]? exactBands;
    private readonly IReadOnlyList<string?> bandDescriptions;

    /// <summary>
    /// A raster from float pixels, one row-major array of width·height values per band.
    /// Every value must be one the data type holds (an Int16 raster holds whole numbers in [-32768, 32767]).
    /// For Int32, UInt32 or Float64 values that float cannot hold, pass doubles instead.
    /// </summary>
    public GeoRaster(int width, int height, RasterDataType dataType, IReadOnlyList<float[]> bands)
        : this(width, height, dataType, CheckedFloatBands(width, height, dataType, bands), null)
    {
    }

    /// <summary>Takes the arrays as they are (no copy, no checks): for the reader, whose values have the right type by construction.</summary>
    internal GeoRaster(int width, int height, RasterDataType dataType, float[][] bands, double[][]? exactBands)
    {
        Width = width;
        Height = height;
        DataType = dataType;
        this.bands = bands;
        this.exactBands = exactBands;
        bandDescriptions = new string?[bands.Length];
    }

    /// <summary>
    /// A raster from exact values (any data type): for Int32, UInt32 and Float64 data that float would round.
    /// Every value must be one the data type holds.
    /// </summary>
    public GeoRaster(int width, int height, RasterDataType dataType, IReadOnlyList<double[]> bands)
        : this(width, height, dataType, FloatsOf(width, height, dataType, bands), dataType.IsExactInFloat32() ? null : bands.Select(b => (double[])b.Clone()).ToArray())
    {
    }

    public int Width { get; }

    public int Height { get; }

    public int BandCount => bands.Length;

    public RasterDataType DataType { get; }

    /// <summary>Pixel → map coordinates; null when the file has no georeferencing.</summary>
    public GeoTransform? GeoTransform { get; init; }

    /// <summary>EPSG code of the coordinate reference system; null when absent or user-defined.</summary>
    public int? Epsg { get; init; }

    /// <summary>
    /// The value that marks pixels without data, for all bands (GDAL's convention); null when none. Files in the wild
    /// may carry one their type cannot hold (a Byte file with nodata −9999): it is kept as given and matches no pixel.
    /// </summary>
    public double? NoData { get; init; }

    /// <summary>One description (band name) per band, null for unnamed bands.</summary>
    public IReadOnlyList<string?> BandDescriptions
    {
        get => bandDescriptions;
        init
        {
            if (value.Count != bands.Length)
            {
                throw new ArgumentException(
                    $"A raster with {bands.Length} band(s) needs {bands.Length} band descriptions, got {value.Count}.",
                    nameof(BandDescriptions));
            }

            bandDescriptions = value.ToArray();
        }
    }

    /// <summary>The file this raster was read from, for messages; null for rasters made in memory.</summary>
    public string? SourcePath { get; init; }

    /// <summary>A band's pixels as float, row-major (index = row·Width + col).</summary>
    public ReadOnlySpan<float> Band(int band) => bands[CheckBand(band)];

    /// <summary>A copy of a band's pixels as float.</summary>
    public float[] CopyBand(int band) => (float[])bands[CheckBand(band)].Clone();

    /// <summary>A band's pixels as their exact values (double holds every value of every supported type).</summary>
    public double[] CopyExactBand(int band)
    {
        CheckBand(band);
        return exactBands is null ? Array.ConvertAll(bands[band], v => (double)v) : (double[])exactBands[band].Clone();
    }

    /// <summary>The exact values of a band when they are kept apart from the floats (Int32, UInt32, Float64); empty otherwise.</summary>
    internal ReadOnlySpan<double> ExactBandOrEmpty(int band) => exactBands is null ? ReadOnlySpan<double>.Empty : exactBands[CheckBand(band)];

    public float this[int band, int row, int col] => bands[CheckBand(band)][PixelOffset(row, col)];

    /// <summary>The pixel's value exactly as stored in the file.</summary>
    public double ExactValue(int band, int row, int col)
    {
        CheckBand(band);
        int at = PixelOffset(row, col);
        return exactBands is null ? bands[band][at] : exactBands[band][at];
    }

    /// <summary>Whether a value equals the nodata value, compared in the raster's type (NaN nodata matches NaN).</summary>
    public bool IsNoData(double value)
    {
        if (NoData is not double nodata)
        {
            return false;
        }

        if (double.IsNaN(nodata))
        {
            return double.IsNaN(value);
        }

        return DataType == RasterDataType.Float32 ? (float)value == (float)nodata : value == nodata;
    }

    /// <summary>The index of the band described as <paramref name="name"/>; throws naming the file and its bands if none is.</summary>
    public int BandIndex(string name) => BandNames.IndexOf(bandDescriptions, name, SourcePath ?? "(in-memory raster)");

    public int? TryBandIndex(string name) => BandNames.TryIndexOf(bandDescriptions, name);

    private int CheckBand(int band)
    {
        if ((uint)band >= (uint)bands.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(band), band,
                $"Band {band} does not exist in {SourcePath ?? "this raster"}, which has {bands.Length} band(s) (0 to {bands.Length - 1}).");
        }

        return band;
    }

    private int PixelOffset(int row, int col)
    {
        if ((uint)row >= (uint)Height || (uint)col >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(nameof(row),
                $"Pixel (row {row}, col {col}) is outside {SourcePath ?? "this raster"}, which is {Width}×{Height} (width×height).");
        }

        return row * Width + col;
    }

    private static float[][] FloatsOf(int width, int height, RasterDataType dataType, IReadOnlyList<double[]> bands)
    {
        CheckShape(width, height, bands.Count, bands.Select(b => b.Length));
        for (int band = 0; band < bands.Count; band++)
        {
            CheckValuesFit(dataType, band, width, bands[band].Length, i => bands[band][i]);
        }

        return bands.Select(b => Array.ConvertAll(b, v => (float)v)).ToArray();
    }

    private static float[][] CheckedFloatBands(int width, int height, RasterDataType dataType, IReadOnlyList<float[]> bands)
    {
        CheckShape(width, height, bands.Count, bands.Select(b => b.Length));
        for (int band = 0; band < bands.Count; band++)
        {
            if (!dataType.IsFloatingPoint())
            {
                CheckValuesFit(dataType, band, width, bands[band].Length, i => bands[band][i]);
            }
        }

        return bands.Select(b => (float[])b.Clone()).ToArray();
    }

    private static void CheckShape(int width, int height, int bandCount, IEnumerable<int> lengths)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"A raster is at least 1×1 pixel; got {width}×{height} (width×height).");
        }

        if (bandCount == 0)
        {
            throw new ArgumentException("A raster has at least one band; got none.");
        }

        int band = 0;
        foreach (int length in lengths)
        {
            if (length != (long)width * height)
            {
                throw new ArgumentException(
                    $"Band {band} has {length} values; a {width}×{height} raster needs {(long)width * height} (width·height), row-major.");
            }

            band++;
        }
    }

    private static void CheckValuesFit(RasterDataType dataType, int band, int width, int count, Func<int, double> valueAt)
    {
        for (int i = 0; i < count; i++)
        {
            double value = valueAt(i);
            if (!dataType.CanHold(value))
            {
                throw new ArgumentException(
                    $"Band {band} row {i / width} col {i % width} holds {value.ToString(CultureInfo.InvariantCulture)}, " +
                    $"which a {dataType} raster cannot hold. Round or clamp the values, or choose a wider data type.");
            }
        }
    }
}
