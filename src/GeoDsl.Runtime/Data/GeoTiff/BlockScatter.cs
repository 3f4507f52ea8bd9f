using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Copies the in-image part of a decoded block (machine byte order) into per-band arrays: float for every type,
/// plus double for the types float cannot hold exactly.
/// </summary>
internal sealed class BlockScatter
{
    private readonly TiffBlockGrid grid;
    private readonly RasterDataType dataType;
    private readonly float[][] bands;
    private readonly double[][]? exactBands;

    // For each output band: which stored band (file band index) it takes.
    private readonly IReadOnlyList<int> sourceBands;

    public BlockScatter(TiffBlockGrid grid, RasterDataType dataType, IReadOnlyList<int> sourceBands)
    {
        this.grid = grid;
        this.dataType = dataType;
        this.sourceBands = sourceBands;
        int pixels = grid.ImageWidth * grid.ImageHeight;
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
        foreach (var (output, sample) in TargetsOf(place.Plane))
        {
            for (int row = 0; row < place.ValidRows; row++)
            {
                int firstSample = row * grid.BlockWidth * samplesPerPixel + sample;
                int target = (place.Row0 + row) * grid.ImageWidth + place.Column0;
                var floats = bands[output].AsSpan(target, place.ValidColumns);
                var exact = exactBands is null ? Span<double>.Empty : exactBands[output].AsSpan(target, place.ValidColumns);
                ConvertRow(block, firstSample, samplesPerPixel, bytesPerSample, floats, exact);
            }
        }
    }

    /// <summary>Fills a block's in-image part with one value (for sparse blocks, which have no bytes in the file).</summary>
    public void Fill(BlockPlace place, double value)
    {
        foreach (var (output, _) in TargetsOf(place.Plane))
        {
            for (int row = 0; row < place.ValidRows; row++)
            {
                int target = (place.Row0 + row) * grid.ImageWidth + place.Column0;
                bands[output].AsSpan(target, place.ValidColumns).Fill((float)value);
                exactBands?[output].AsSpan(target, place.ValidColumns).Fill(value);
            }
        }
    }

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
