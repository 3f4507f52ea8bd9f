using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Copies the part of a decoded block (machine byte order) that lies inside the image and the window being read into
/// per-band arrays of the window's size: float for every type, plus double for the types float cannot hold exactly.
/// </summary>
internal sealed class BlockScatter
{
    private readonly TiffBlockGrid grid;
    private readonly RasterDataType dataType;
    private readonly RasterWindow window;
    private readonly float[][] bands;
    private readonly double[][]? exactBands;

    // For each output band: which stored band (file band index) it takes.
    private readonly IReadOnlyList<int> sourceBands;

    public BlockScatter(TiffBlockGrid grid, RasterDataType dataType, IReadOnlyList<int> sourceBands, RasterWindow window)
    {
        this.grid = grid;
        this.dataType = dataType;
        this.sourceBands = sourceBands;
        this.window = window;
        int pixels = window.Width * window.Height;
        bands = new float[sourceBands.Count][];
        for (int i = 0; i < bands.Length; i++)
        {
            bands[i] = new float[pixels];
        }

        if (!dataType.IsExactInFloat32())
        {
            exactBands = new double[sourceBands.Count][];
            for (int i = 0; i < exactBands.Length; i++)
            {
                exactBands[i] = new double[pixels];
            }
        }
    }

    public float[][] Bands => bands;

    public double[][]? ExactBands => exactBands;

    /// <summary>Output bands filled from the given plane: every band for pixel-interleaved files, at most one otherwise.</summary>
    public IEnumerable<(int Output, int SampleInBlockPixel)> TargetsOf(int plane)
    {
        for (int output = 0; output < sourceBands.Count; output++)
        {
            if (grid.PlaneCount == 1)
            {
                yield return (output, sourceBands[output]);
            }
            else if (sourceBands[output] == plane)
            {
                yield return (output, 0);
            }
        }
    }

    public void Scatter(BlockPlace place, ReadOnlySpan<byte> block)
    {
        int samplesPerPixel = grid.SamplesPerBlockPixel;
        int bytesPerSample = grid.BytesPerSample;
        var (rows, columns) = InWindow(place);
        foreach (var (output, sample) in TargetsOf(place.Plane))
        {
            for (int row = rows.Start; row < rows.End; row++)
            {
                int firstSample = (row * grid.BlockWidth + columns.Start) * samplesPerPixel + sample;
                int target = Target(place, row, columns.Start);
                var floats = bands[output].AsSpan(target, columns.End - columns.Start);
                var exact = exactBands is null ? Span<double>.Empty : exactBands[output].AsSpan(target, columns.End - columns.Start);
                ConvertRow(block, firstSample, samplesPerPixel, bytesPerSample, floats, exact);
            }
        }
    }

    /// <summary>Fills a block's in-image part with one value (for sparse blocks, which have no bytes in the file).</summary>
    public void Fill(BlockPlace place, double value)
    {
        var (rows, columns) = InWindow(place);
        foreach (var (output, _) in TargetsOf(place.Plane))
        {
            for (int row = rows.Start; row < rows.End; row++)
            {
                int target = Target(place, row, columns.Start);
                bands[output].AsSpan(target, columns.End - columns.Start).Fill((float)value);
                exactBands?[output].AsSpan(target, columns.End - columns.Start).Fill(value);
            }
        }
    }

    /// <summary>The block's rows and columns (block coordinates) that lie inside both the image and the window.</summary>
    private ((int Start, int End) Rows, (int Start, int End) Columns) InWindow(BlockPlace place) => (
        (Math.Max(0, window.Row - place.Row0), Math.Min(place.ValidRows, window.Bottom - place.Row0)),
        (Math.Max(0, window.Column - place.Column0), Math.Min(place.ValidColumns, window.Right - place.Column0)));

    private int Target(BlockPlace place, int blockRow, int blockColumn) =>
        (place.Row0 + blockRow - window.Row) * window.Width + place.Column0 + blockColumn - window.Column;

    private void ConvertRow(ReadOnlySpan<byte> block, int firstSample, int step, int bytesPerSample, Span<float> floats, Span<double> exact)
    {
        int count = floats.Length;
        int lastSampleEnd = (firstSample + (count - 1) * step + 1) * bytesPerSample;
        ReadOnlySpan<byte> bytes = block[..lastSampleEnd];
        switch (dataType)
        {
            case RasterDataType.Byte:
                for (int i = 0; i < count; i++) floats[i] = bytes[firstSample + i * step];
                break;
            case RasterDataType.Int16:
                var int16 = MemoryMarshal.Cast<byte, short>(bytes);
                for (int i = 0; i < count; i++) floats[i] = int16[firstSample + i * step];
                break;
            case RasterDataType.UInt16:
                var uint16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (int i = 0; i < count; i++) floats[i] = uint16[firstSample + i * step];
                break;
            case RasterDataType.Float32:
                var float32 = MemoryMarshal.Cast<byte, float>(bytes);
                for (int i = 0; i < count; i++) floats[i] = float32[firstSample + i * step];
                break;
            case RasterDataType.Int32:
                var int32 = MemoryMarshal.Cast<byte, int>(bytes);
                for (int i = 0; i < count; i++) { exact[i] = int32[firstSample + i * step]; floats[i] = (float)exact[i]; }
                break;
            case RasterDataType.UInt32:
                var uint32 = MemoryMarshal.Cast<byte, uint>(bytes);
                for (int i = 0; i < count; i++) { exact[i] = uint32[firstSample + i * step]; floats[i] = (float)exact[i]; }
                break;
            case RasterDataType.Float64:
                var float64 = MemoryMarshal.Cast<byte, double>(bytes);
                for (int i = 0; i < count; i++) { exact[i] = float64[firstSample + i * step]; floats[i] = (float)exact[i]; }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown raster data type.");
        }
    }
}
