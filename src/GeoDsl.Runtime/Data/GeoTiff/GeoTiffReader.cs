using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Reads GeoTIFFs (classic and BigTIFF; tiled or striped; pixel- or band-interleaved; uncompressed, LZW, DEFLATE,
/// PackBits or ZSTD; predictors 1, 2 and 3) with their georeferencing, nodata and band descriptions, as GDAL
/// writes them. A file it cannot read fully gives a <see cref="GeoTiffException"/>, never partial data.
/// </summary>
public static class GeoTiffReader
{
    /// <summary>Reads every band.</summary>
    public static GeoRaster Read(string path) => ReadCore(path, selection: null);

    /// <summary>Reads the given bands (zero-based, in the order given; a band may repeat).</summary>
    public static GeoRaster Read(string path, IReadOnlyList<int> bandIndices) => ReadCore(path, _ => bandIndices);

    /// <summary>Reads the bands with the given descriptions, in the order given.</summary>
    public static GeoRaster Read(string path, IReadOnlyList<string> bandNames) =>
        ReadCore(path, info => bandNames.Select(info.BandIndex).ToArray());

    /// <summary>Reads the header only: size, type, georeferencing, nodata, band descriptions and storage layout.</summary>
    public static GeoRasterInfo ReadInfo(string path)
    {
        using var file = OpenedTiff.Open(path);
        return DescribeFile(file, TiffImageHeader.Read(file.Tiff, path));
    }

    private static GeoRaster ReadCore(string path, Func<GeoRasterInfo, IReadOnlyList<int>>? selection)
    {
        using var file = OpenedTiff.Open(path);
        var header = TiffImageHeader.Read(file.Tiff, path);
        var info = DescribeFile(file, header);

        IReadOnlyList<int> bands = selection is null ? Enumerable.Range(0, info.BandCount).ToArray() : selection(info);
        CheckBandSelection(info, bands);

        var grid = new TiffBlockGrid(header);
        var blocks = BlocksHolding(grid, bands);
        CheckBlocksInsideFile(path, header, grid, blocks);

        var scatter = new BlockScatter(grid, header.DataType, bands);
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
                    scatter.Fill(place, info.NoData ?? 0);
                    continue;
                }

                int size = grid.DecodedSize(place);
                decoder.Decode(place, buffer, size);
                scatter.Scatter(place, buffer.AsSpan(0, size));
            }
        }

        file.ThrowIfErrors("decoding its pixels");
        return new GeoRaster(info.Width, info.Height, info.DataType, scatter.Bands, scatter.ExactBands)
        {
            GeoTransform = info.GeoTransform,
            Epsg = info.Epsg,
            NoData = info.NoData,
            BandDescriptions = bands.Select(b => info.BandDescriptions[b]).ToArray(),
            SourcePath = path,
        };
    }

    private static GeoRasterInfo DescribeFile(OpenedTiff file, TiffImageHeader header)
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

    private static void CheckBandSelection(GeoRasterInfo info, IReadOnlyList<int> bands)
    {
        if (bands.Count == 0)
        {
            throw new GeoTiffException(info.FilePath, $"No bands were asked of GeoTIFF '{info.FilePath}'; ask for at least one. {BandNames.Describe(info.BandDescriptions)}");
        }

        foreach (int band in bands)
        {
            if (band < 0 || band >= info.BandCount)
            {
                throw new GeoTiffException(info.FilePath,
                    $"Band {band} was asked of GeoTIFF '{info.FilePath}', which has {info.BandCount} band(s), 0 to {info.BandCount - 1}. " +
                    BandNames.Describe(info.BandDescriptions));
            }
        }
    }

    /// <summary>The blocks that hold the selected bands: all of them when pixel-interleaved, the selected planes otherwise.</summary>
    private static int[] BlocksHolding(TiffBlockGrid grid, IReadOnlyList<int> bands)
    {
        IEnumerable<int> planes = grid.PlaneCount == 1 ? new[] { 0 } : bands.Distinct().OrderBy(b => b);
        return planes.SelectMany(plane => Enumerable.Range(plane * grid.BlocksPerPlane, grid.BlocksPerPlane)).ToArray();
    }

    /// <summary>A truncated file is found here, before any decoding, with the exact block and byte range that is missing.</summary>
    private static void CheckBlocksInsideFile(string path, TiffImageHeader header, TiffBlockGrid grid, IEnumerable<int> blocks)
    {
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
                    $"but the file ends at byte {fileLength - 1} ({fileLength} bytes); {missingBlocks} of its {grid.BlockCount} " +
                    $"{(grid.IsTiled ? "tiles" : "strips")} lie wholly or partly past the end. " +
                    "The file was cut short (an interrupted download or copy?); fetch or export it again.");
            }
        }
    }

    /// <summary>An open LibTiff.NET handle plus the messages it reports, closed together.</summary>
    private sealed class OpenedTiff : IDisposable
    {
        private OpenedTiff(string path, Tiff tiff, LibTiffMessages.Scope messages)
        {
            Path = path;
            Tiff = tiff;
            Messages = messages;
        }

        public string Path { get; }

        public Tiff Tiff { get; }

        public LibTiffMessages.Scope Messages { get; }

        public static OpenedTiff Open(string path)
        {
            if (!File.Exists(path))
            {
                throw new GeoTiffException(path, $"GeoTIFF '{path}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
            }

            GeoTiffTags.EnsureRegistered();
            var messages = LibTiffMessages.Capture();
            Tiff? tiff;
            try
            {
                tiff = Tiff.Open(path, "r");
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                messages.Dispose();
                throw new GeoTiffException(path, $"GeoTIFF '{path}' cannot be opened: {error.Message}", error);
            }

            if (tiff is null)
            {
                string cause = messages.HasErrors ? messages.DescribeErrors() : "LibTiff.NET gave no reason";
                messages.Dispose();
                throw new GeoTiffException(path,
                    $"'{path}' is not a readable TIFF ({cause}). The file is damaged, cut short or not a TIFF; fetch or export it again.");
            }

            var opened = new OpenedTiff(path, tiff, messages);
            try
            {
                opened.ThrowIfErrors("opening it");
            }
            catch
            {
                opened.Dispose();
                throw;
            }

            return opened;
        }

        public void ThrowIfErrors(string stage)
        {
            if (Messages.HasErrors)
            {
                string errors = Messages.DescribeErrors();
                Messages.ClearErrors();
                throw new GeoTiffException(Path,
                    $"GeoTIFF '{Path}' failed while {stage}: {errors}. The file is damaged or uses a TIFF feature GeoDsl does not read; " +
                    "re-export it with gdal_translate -co COMPRESS=DEFLATE.");
            }
        }

        public void Dispose()
        {
            Tiff.Dispose();
            Messages.Dispose();
        }
    }
}
