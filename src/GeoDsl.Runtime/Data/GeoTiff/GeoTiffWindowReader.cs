using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// An open GeoTIFF read window by window (GDAL's RasterIO with a window): only the tiles or strips a window touches
/// are decoded, so a scene of any size is read in pieces whose memory is that of the piece. Every read checks first
/// that the blocks it needs lie inside the file, so a truncated file fails naming the block, never with partial data.
/// Not thread-safe: one reader per thread.
/// </summary>
public sealed class GeoTiffWindowReader : IDisposable
{
    private readonly OpenedTiff file;
    private readonly TiffImageHeader header;
    private readonly TiffBlockGrid grid;

    private GeoTiffWindowReader(OpenedTiff file, TiffImageHeader header, GeoRasterInfo info)
    {
        this.file = file;
        this.header = header;
        grid = new TiffBlockGrid(header);
        Info = info;
    }

    /// <summary>What the header says: size, type, georeferencing, nodata, band names and storage.</summary>
    public GeoRasterInfo Info { get; }

    public static GeoTiffWindowReader Open(string path)
    {
        var file = OpenedTiff.Open(path);
        try
        {
            var header = TiffImageHeader.Read(file.Tiff, path);
            return new GeoTiffWindowReader(file, header, Describe(file, header));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The window's pixels for the given bands (zero-based, in the order given; null for all). The raster's geotransform
    /// is moved to the window's top-left pixel, so it stays georeferenced as a GeoTIFF of its own.
    /// </summary>
    public GeoRaster Read(RasterWindow window, IReadOnlyList<int>? bandIndices = null)
    {
        string path = file.Path;
        window.CheckInside(Info.Width, Info.Height, path);
        IReadOnlyList<int> bands = bandIndices ?? Enumerable.Range(0, Info.BandCount).ToArray();
        CheckBandSelection(bands);

        var blocks = BlocksHolding(bands, window);
        CheckBlocksInsideFile(blocks);

        var scatter = new BlockScatter(grid, header.DataType, bands, window);
        var buffer = new byte[grid.MaxDecodedSize];
        using (var zstd = header.Storage.Compression == GeoTiffCompression.Zstd
                   ? new ZstdBlockDecoder(file.Tiff, header, grid, file.Messages, path)
                   : null)
        {
            ITiffBlockDecoder decoder = (ITiffBlockDecoder?)zstd ?? new LibTiffBlockDecoder(file.Tiff, grid, file.Messages, path);
            foreach (var place in blocks.Select(grid.Place))
            {
                if (header.BlockByteCounts[place.Index] == 0)
                {
                    // A sparse block (GDAL's SPARSE_OK): no bytes stored, read as nodata or 0, as GDAL does.
                    scatter.Fill(place, Info.NoData ?? 0);
                    continue;
                }

                int size = grid.DecodedSize(place);
                decoder.Decode(place, buffer, size);
                scatter.Scatter(place, buffer.AsSpan(0, size));
            }
        }

        file.ThrowIfErrors("decoding its pixels");
        var transform = Info.GeoTransform is { } t ? t.Shifted(window.Column, window.Row) : (GeoTransform?)null;
        return new GeoRaster(window.Width, window.Height, Info.DataType, scatter.Bands, scatter.ExactBands)
        {
            GeoTransform = transform,
            Epsg = Info.Epsg,
            NoData = Info.NoData,
            BandDescriptions = bands.Select(b => Info.BandDescriptions[b]).ToArray(),
            SourcePath = path,
        };
    }

    public void Dispose() => file.Dispose();

    private static GeoRasterInfo Describe(OpenedTiff file, TiffImageHeader header)
    {
        string path = file.Path;
        var (transform, epsg) = GeoTiffGeoreferencing.Read(file.Tiff, path);
        double? noData = GdalNoDataText.Parse(TiffFieldValues.Ascii(file.Tiff, GeoTiffTags.GdalNoData), path);
        string?[] descriptions = GdalMetadataXml.ReadBandDescriptions(
            TiffFieldValues.Ascii(file.Tiff, GeoTiffTags.GdalMetadata), header.SamplesPerPixel, path)
            ?? new string?[header.SamplesPerPixel];
        file.ThrowIfErrors("reading its header");
        return new GeoRasterInfo(path, header.Width, header.Height, header.SamplesPerPixel, header.DataType,
            transform, epsg, noData, descriptions, header.Storage);
    }

    private void CheckBandSelection(IReadOnlyList<int> bands)
    {
        if (bands.Count == 0)
        {
            throw new GeoTiffException(Info.FilePath, $"No bands were asked of GeoTIFF '{Info.FilePath}'; ask for at least one. {BandNames.Describe(Info.BandDescriptions)}");
        }

        foreach (int band in bands)
        {
            if (band < 0 || band >= Info.BandCount)
            {
                throw new GeoTiffException(Info.FilePath,
                    $"Band {band} was asked of GeoTIFF '{Info.FilePath}', which has {Info.BandCount} band(s), 0 to {Info.BandCount - 1}. " +
                    BandNames.Describe(Info.BandDescriptions));
            }
        }
    }

    /// <summary>The blocks that overlap the window and hold the selected bands: every plane when pixel-interleaved, the selected ones otherwise.</summary>
    private int[] BlocksHolding(IReadOnlyList<int> bands, RasterWindow window)
    {
        IEnumerable<int> planes = grid.PlaneCount == 1 ? new[] { 0 } : bands.Distinct().OrderBy(b => b);
        return planes
            .SelectMany(plane => Enumerable.Range(plane * grid.BlocksPerPlane, grid.BlocksPerPlane))
            .Where(block =>
            {
                var place = grid.Place(block);
                return window.Overlaps(place.Column0, place.Row0, place.ValidColumns, place.ValidRows);
            })
            .ToArray();
    }

    /// <summary>A truncated file is found here, before any decoding, with the exact block and byte range that is missing.</summary>
    private void CheckBlocksInsideFile(IReadOnlyList<int> blocks)
    {
        string path = file.Path;
        long fileLength = new FileInfo(path).Length;
        foreach (int block in blocks)
        {
            long offset = header.BlockOffsets[block];
            long count = header.BlockByteCounts[block];
            if (count == 0)
            {
                continue;
            }

            if (offset < 0 || count < 0 || offset + count > fileLength)
            {
                var place = grid.Place(block);
                int missingBlocks = blocks.Count(b => header.BlockByteCounts[b] > 0 && header.BlockOffsets[b] + header.BlockByteCounts[b] > fileLength);
                throw new GeoTiffException(path,
                    $"GeoTIFF '{path}' is truncated: {grid.Describe(place)} is stored at bytes {offset}–{offset + count - 1}, " +
                    $"but the file ends at byte {fileLength - 1} ({fileLength} bytes); {missingBlocks} of the {blocks.Count} " +
                    $"{(grid.IsTiled ? "tiles" : "strips")} read lie wholly or partly past the end. " +
                    "The file was cut short (an interrupted download or copy?); fetch or export it again.");
            }
        }
    }
}
