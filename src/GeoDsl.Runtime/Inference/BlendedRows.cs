using System;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Inference;

/// <summary>
/// The weighted sums of tile outputs for the scene rows that are not final yet: one tile's kept height of rows across
/// the whole width. Rows above the next row of tiles are final; they are divided by their weight, turned into the
/// output (probabilities or classes) and streamed to the file, and the buffer moves down.
/// </summary>
internal sealed class BlendedRows
{
    private readonly int width;
    private readonly int height;
    private readonly int capacity;
    private readonly int outputs;
    private readonly float[][] sums;
    private readonly float[] weights;
    private readonly bool[] empty;
    private int top;

    public BlendedRows(int width, int height, int capacity, int outputs)
    {
        this.width = width;
        this.height = height;
        this.capacity = capacity;
        this.outputs = outputs;
        sums = new float[outputs][];
        for (int k = 0; k < outputs; k++)
        {
            sums[k] = new float[capacity * width];
        }

        weights = new float[capacity * width];
        empty = new bool[capacity * width];
    }

    public int Outputs => outputs;

    /// <summary>Adds one tile's kept part: <paramref name="tile"/> holds [outputs, crop, crop] for the tile at the given padded positions.</summary>
    public void Add(ReadOnlySpan<float> tile, int crop, int rowPosition, int columnPosition, TileLayout rows, TileLayout columns)
    {
        int kept = rows.Weights.Length;
        int planeSize = crop * crop;
        for (int ky = 0; ky < kept; ky++)
        {
            int sceneRow = rowPosition + ky;
            if (sceneRow >= height)
            {
                break;
            }

            int bufferRow = sceneRow - top;
            if (bufferRow < 0 || bufferRow >= capacity)
            {
                throw new InvalidOperationException($"Tiled inference: scene row {sceneRow} is outside the rows held ({top}–{top + capacity - 1}).");
            }

            float rowWeight = rows.Weights[ky];
            int tileRow = (rows.Delta + ky) * crop + columns.Delta;
            for (int kx = 0; kx < kept; kx++)
            {
                int sceneColumn = columnPosition + kx;
                if (sceneColumn >= width)
                {
                    break;
                }

                float weight = rowWeight * columns.Weights[kx];
                int at = bufferRow * width + sceneColumn;
                weights[at] += weight;
                for (int k = 0; k < outputs; k++)
                {
                    sums[k][at] += weight * tile[k * planeSize + tileRow + kx];
                }
            }
        }
    }

    /// <summary>Notes which pixels of scene rows [first, first + count) have no data in any band, from a window that holds them.</summary>
    public void MarkEmpty(GeoRaster window, int windowRow, int first, int count)
    {
        for (int row = first; row < Math.Min(first + count, height); row++)
        {
            for (int col = 0; col < width; col++)
            {
                empty[(row - top) * width + col] = ModelInputLayout.IsEmptyPixel(window, (row - windowRow) * width + col);
            }
        }
    }

    /// <summary>Writes the final rows [top, <paramref name="end"/>) and moves the buffer down to start at <paramref name="end"/>.</summary>
    public void Flush(int end, PredictionOutput output, GeoTiffStreamWriter writer)
    {
        int rows = end - top;
        if (rows <= 0)
        {
            return;
        }

        int pixels = rows * width;
        for (int i = 0; i < pixels; i++)
        {
            if (!(weights[i] > 0))
            {
                throw new InvalidOperationException($"Tiled inference: scene pixel (row {top + i / width}, col {i % width}) was covered by no tile.");
            }
        }

        writer.WriteRows(output == PredictionOutput.Probabilities ? Probabilities(rows) : Classes(rows));
        int remaining = capacity - rows;
        foreach (var sum in sums)
        {
            Array.Copy(sum, pixels, sum, 0, remaining * width);
            Array.Clear(sum, remaining * width, pixels);
        }

        Array.Copy(weights, pixels, weights, 0, remaining * width);
        Array.Clear(weights, remaining * width, pixels);
        Array.Copy(empty, pixels, empty, 0, remaining * width);
        Array.Clear(empty, remaining * width, pixels);
        top = end;
    }

    private GeoRaster Probabilities(int rows)
    {
        var bands = new float[outputs][];
        for (int k = 0; k < outputs; k++)
        {
            bands[k] = new float[rows * width];
            for (int i = 0; i < bands[k].Length; i++)
            {
                bands[k][i] = empty[i] ? float.NaN : sums[k][i] / weights[i];
            }
        }

        return new GeoRaster(width, rows, RasterDataType.Float32, bands);
    }

    private GeoRaster Classes(int rows)
    {
        var type = ClassType(outputs);
        float noData = (float)ClassNoData(outputs);
        var classes = new float[rows * width];
        for (int i = 0; i < classes.Length; i++)
        {
            if (empty[i])
            {
                classes[i] = noData;
                continue;
            }

            // Weights are shared by every class of a pixel, so the largest sum is the largest blended probability.
            int best = 0;
            for (int k = 1; k < outputs; k++)
            {
                if (sums[k][i] > sums[best][i])
                {
                    best = k;
                }
            }

            classes[i] = best;
        }

        return new GeoRaster(width, rows, type, new[] { classes });
    }

    public static RasterDataType ClassType(int classes) => classes < byte.MaxValue ? RasterDataType.Byte : RasterDataType.UInt16;

    public static double ClassNoData(int classes) => classes < byte.MaxValue ? byte.MaxValue : ushort.MaxValue;
}
