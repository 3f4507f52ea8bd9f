using System;
using System.IO;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Writes a GeoTIFF from the top down, a band of rows at a time, holding at most one row of tiles (or one strip) in
/// memory: for outputs too large to hold, such as a tiled prediction over a whole scene. Like
/// <see cref="GeoTiffWriter"/>, it writes under a temporary name and renames only in <see cref="Complete"/>; disposed
/// before that (an exception, a cancelled run), it deletes the temporary file and leaves any existing file untouched.
/// </summary>
public sealed class GeoTiffStreamWriter : IDisposable
{
    private readonly string path;
    private readonly string temporary;
    private readonly GeoRasterHeader header;
    private readonly LibTiffMessages.Scope messages;
    private readonly Tiff tiff;
    private readonly GeoTiffWriter.FileWriter file;
    private readonly TiffBlockGrid grid;
    private readonly ZstdBlockEncoder? zstd;
    private readonly float[][] rowBuffer;
    private readonly double[][]? exactRowBuffer;
    private readonly byte[] blockBuffer;
    private int rowsWritten;
    private bool finished;

    private GeoTiffStreamWriter(string path, string temporary, GeoRasterHeader header, GeoTiffWriter.WritePlan plan, LibTiffMessages.Scope messages, Tiff tiff)
    {
        this.path = path;
        this.temporary = temporary;
        this.header = header;
        this.messages = messages;
        this.tiff = tiff;
        file = new GeoTiffWriter.FileWriter(tiff, messages, path);
        grid = new TiffBlockGrid(header.Width, header.Height, header.BandCount, header.DataType.BytesPerSample(), plan.Storage);
        zstd = plan.Storage.Compression == GeoTiffCompression.Zstd ? new ZstdBlockEncoder(grid, plan.Storage.Predictor) : null;
        int bufferPixels = header.Width * grid.BlockHeight;
        rowBuffer = new float[header.BandCount][];
        for (int b = 0; b < rowBuffer.Length; b++)
        {
            rowBuffer[b] = new float[bufferPixels];
        }

        if (!header.DataType.IsExactInFloat32())
        {
            exactRowBuffer = new double[header.BandCount][];
            for (int b = 0; b < exactRowBuffer.Length; b++)
            {
                exactRowBuffer[b] = new double[bufferPixels];
            }
        }

        blockBuffer = new byte[grid.MaxDecodedSize];
    }

    /// <summary>The full path the file will have once complete.</summary>
    public string FilePath => path;

    /// <summary>Rows written so far (the next row to write).</summary>
    public int RowsWritten => rowsWritten;

    /// <summary>Checks the options against the header and opens a temporary file beside <paramref name="path"/>.</summary>
    public static GeoTiffStreamWriter Create(string path, GeoRasterHeader header, GeoTiffWriteOptions? options = null)
    {
        options ??= GeoTiffWriteOptions.Default;
        string fullPath = Path.GetFullPath(path);
        if (header.Width <= 0 || header.Height <= 0 || header.BandCount <= 0)
        {
            throw new GeoTiffException(fullPath,
                $"Cannot write GeoTIFF '{fullPath}' of {header.Width}×{header.Height} pixels and {header.BandCount} band(s): a raster is at least 1×1 with one band.");
        }

        if (header.BandDescriptions is { } names && names.Count != header.BandCount)
        {
            throw new GeoTiffException(fullPath,
                $"Cannot write GeoTIFF '{fullPath}' with {names.Count} band descriptions: it has {header.BandCount} band(s); give one description (or null) per band.");
        }

        var plan = GeoTiffWriter.WritePlan.Make(fullPath, header, options);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.partial");

        GeoTiffTags.EnsureRegistered();
        var messages = LibTiffMessages.Capture();
        Tiff? tiff = null;
        try
        {
            tiff = Tiff.Open(temporary, plan.BigTiff ? "w8" : "w") ?? throw GeoTiffWriter.Failed(fullPath, messages, "creating the file");
            var writer = new GeoTiffStreamWriter(fullPath, temporary, header, plan, messages, tiff);
            writer.file.SetLayout(header, plan);
            writer.file.SetGeoreferencing(header, plan);
            writer.file.SetGdalMetadata(plan);
            return writer;
        }
        catch
        {
            tiff?.Dispose();
            messages.Dispose();
            GeoTiffWriter.TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Appends the rows of <paramref name="rows"/> (same width, bands and type as the header) below those written so far;
    /// each row of tiles (or strip) is compressed and written as soon as it is complete.
    /// </summary>
    public void WriteRows(GeoRaster rows)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        if (rows.Width != header.Width || rows.BandCount != header.BandCount || rows.DataType != header.DataType)
        {
            throw new ArgumentException(
                $"GeoTIFF '{path}' is {header.Width} pixels wide with {header.BandCount} {header.DataType} band(s); " +
                $"the rows given are {rows.Width} wide with {rows.BandCount} {rows.DataType} band(s).", nameof(rows));
        }

        if (rowsWritten + rows.Height > header.Height)
        {
            throw new ArgumentException(
                $"GeoTIFF '{path}' has {header.Height} rows and {rowsWritten} are written; {rows.Height} more do not fit.", nameof(rows));
        }

        int width = header.Width;
        for (int row = 0; row < rows.Height; row++)
        {
            int bufferRow = rowsWritten % grid.BlockHeight;
            for (int band = 0; band < header.BandCount; band++)
            {
                rows.Band(band).Slice(row * width, width).CopyTo(rowBuffer[band].AsSpan(bufferRow * width, width));
                if (exactRowBuffer is not null)
                {
                    var exact = rows.ExactBandOrEmpty(band);
                    var target = exactRowBuffer[band].AsSpan(bufferRow * width, width);
                    if (exact.IsEmpty)
                    {
                        for (int col = 0; col < width; col++)
                        {
                            target[col] = rows.Band(band)[row * width + col];
                        }
                    }
                    else
                    {
                        exact.Slice(row * width, width).CopyTo(target);
                    }
                }
            }

            rowsWritten++;
            if (rowsWritten % grid.BlockHeight == 0 || rowsWritten == header.Height)
            {
                WriteBlockRow((rowsWritten - 1) / grid.BlockHeight);
            }
        }
    }

    /// <summary>Finishes the file and moves it to its path; every row must have been written.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(finished, this);
        if (rowsWritten != header.Height)
        {
            throw new InvalidOperationException(
                $"GeoTIFF '{path}' has {header.Height} rows but only {rowsWritten} were written; nothing was written to '{path}'.");
        }

        finished = true;
        try
        {
            tiff.Close();
            if (messages.HasErrors)
            {
                throw GeoTiffWriter.Failed(path, messages, "finishing the file");
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            GeoTiffWriter.TryDelete(temporary);
            throw;
        }
        finally
        {
            zstd?.Dispose();
            messages.Dispose();
        }
    }

    /// <summary>Without <see cref="Complete"/>, abandons the file: the temporary file is deleted, the path untouched.</summary>
    public void Dispose()
    {
        if (finished)
        {
            return;
        }

        finished = true;
        tiff.Dispose();
        zstd?.Dispose();
        messages.Dispose();
        GeoTiffWriter.TryDelete(temporary);
    }

    private void WriteBlockRow(int blockRow)
    {
        int firstRow = blockRow * grid.BlockHeight;
        var buffered = new GeoRaster(header.Width, grid.BlockHeight, header.DataType, rowBuffer, exactRowBuffer);
        var gather = new BlockGather(buffered, grid, firstRow);
        for (int plane = 0; plane < grid.PlaneCount; plane++)
        {
            for (int column = 0; column < grid.BlocksAcross; column++)
            {
                var place = grid.Place(grid.BlockIndex(plane, blockRow, column));
                int size = grid.DecodedSize(place);
                gather.Gather(place, blockBuffer.AsSpan(0, size));
                file.WriteBlock(grid, place, blockBuffer, size, zstd);
            }
        }
    }
}
