using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Writes a <see cref="GeoRaster"/> as a GeoTIFF that GDAL reads back with the same georeferencing, EPSG code,
/// nodata and band descriptions (stored as GDAL stores them). The file appears only once complete: it is
/// written under a temporary name in the same folder and then renamed, so a crash never leaves half a file.
/// </summary>
public static class GeoTiffWriter
{
    /// <summary>Per classic TIFF's 32-bit offsets; beyond this (pixels alone, with room for tags) BigTIFF is needed.</summary>
    private const long ClassicTiffPixelBytesLimit = 4_000_000_000;

    public static void Write(string path, GeoRaster raster) => Write(path, raster, GeoTiffWriteOptions.Default);

    public static void Write(string path, GeoRaster raster, GeoTiffWriteOptions options)
    {
        using var writer = GeoTiffStreamWriter.Create(path, GeoRasterHeader.Of(raster), options);
        writer.WriteRows(raster);
        writer.Complete();
    }

    internal static GeoTiffException Failed(string path, LibTiffMessages.Scope messages, string stage)
    {
        string cause = messages.HasErrors ? messages.DescribeErrors() : "LibTiff.NET gave no reason";
        return new GeoTiffException(path,
            $"Writing GeoTIFF '{path}' failed while {stage}: {cause}. Nothing was written to '{path}'; " +
            "check that the folder is writable and has space.");
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The options resolved against the raster and checked, before any file is touched.</summary>
    internal sealed record WritePlan(
        TiffStorageLayout Storage,
        IReadOnlyList<string?> BandDescriptions,
        double? NoData,
        bool GeographicCrs,
        bool BigTiff)
    {
        public static WritePlan Make(string path, GeoRasterHeader raster, GeoTiffWriteOptions options)
        {
            var type = raster.DataType;
            int bytesPerPixel = type.BytesPerSample() * (options.Interleave == GeoTiffInterleave.Pixel ? raster.BandCount : 1);

            int blockWidth, blockHeight;
            if (options.Tiled)
            {
                if (options.TileWidth <= 0 || options.TileHeight <= 0 || options.TileWidth % 16 != 0 || options.TileHeight % 16 != 0)
                {
                    throw Invalid(path, $"tile size {options.TileWidth}×{options.TileHeight}",
                        "TIFF tiles are positive multiples of 16 pixels on each side; use e.g. 256×256, or write strips");
                }

                (blockWidth, blockHeight) = (options.TileWidth, options.TileHeight);
            }
            else
            {
                int rows = options.RowsPerStrip ?? Math.Max(1, 65536 / Math.Max(1, raster.Width * bytesPerPixel));
                if (rows <= 0)
                {
                    throw Invalid(path, $"RowsPerStrip {rows}", "a strip holds at least one row");
                }

                (blockWidth, blockHeight) = (raster.Width, Math.Min(rows, raster.Height));
            }

            var predictor = options.Predictor ?? DefaultPredictor(type, options.Compression);
            CheckPredictor(path, type, options.Compression, predictor);
            if (options.Compression == GeoTiffCompression.PackBits)
            {
                throw Invalid(path, "compression PackBits", "GeoDsl writes None, Lzw, Deflate and Zstd; Deflate compresses better");
            }

            var descriptions = options.BandDescriptions ?? raster.BandDescriptions ?? new string?[raster.BandCount];
            if (descriptions.Count != raster.BandCount)
            {
                throw Invalid(path, $"{descriptions.Count} band descriptions", $"the raster has {raster.BandCount} band(s); give one description (or null) per band");
            }

            double? noData = options.NoData ?? raster.NoData;
            if (noData is double value && !type.CanHold(value))
            {
                throw Invalid(path, $"nodata {value.ToString(CultureInfo.InvariantCulture)}", $"a {type} file cannot hold that value; pick one in the type's range");
            }

            long pixelBytes = (long)raster.Width * raster.Height * raster.BandCount * type.BytesPerSample();
            bool bigTiff = options.BigTiff ?? pixelBytes > ClassicTiffPixelBytesLimit;
            bool geographic = options.GeographicCrs ?? raster.Epsg is >= 4000 and <= 4999;

            var storage = new TiffStorageLayout(options.Tiled, blockWidth, blockHeight,
                raster.BandCount == 1 ? GeoTiffInterleave.Pixel : options.Interleave,
                options.Compression, predictor, bigTiff, IsBigEndian: !BitConverter.IsLittleEndian);
            return new WritePlan(storage, descriptions, noData, geographic, bigTiff);
        }

        private static GeoTiffPredictor DefaultPredictor(RasterDataType type, GeoTiffCompression compression) =>
            compression == GeoTiffCompression.None ? GeoTiffPredictor.None
            : type.IsFloatingPoint() ? GeoTiffPredictor.FloatingPoint
            : GeoTiffPredictor.Horizontal;

        private static void CheckPredictor(string path, RasterDataType type, GeoTiffCompression compression, GeoTiffPredictor predictor)
        {
            if (predictor == GeoTiffPredictor.None)
            {
                return;
            }

            if (compression is GeoTiffCompression.None or GeoTiffCompression.PackBits)
            {
                throw Invalid(path, $"predictor {predictor} with compression {compression}",
                    "predictors only help LZW, DEFLATE and ZSTD; choose one of those or Predictor = None");
            }

            if (predictor == GeoTiffPredictor.FloatingPoint && !type.IsFloatingPoint())
            {
                throw Invalid(path, $"the floating-point predictor on {type} data", "it applies to Float32/Float64; use Horizontal for integers");
            }

            if (predictor == GeoTiffPredictor.Horizontal && type == RasterDataType.Float64)
            {
                throw Invalid(path, "the horizontal predictor on Float64 data", "use FloatingPoint, which also compresses floats better");
            }
        }

        private static GeoTiffException Invalid(string path, string what, string fix) =>
            new(path, $"Cannot write GeoTIFF '{path}' with {what}: {fix}.");
    }

    /// <summary>The LibTiff.NET calls for one file, each checked, failures named.</summary>
    internal sealed class FileWriter
    {
        private readonly Tiff tiff;
        private readonly LibTiffMessages.Scope messages;
        private readonly string path;

        public FileWriter(Tiff tiff, LibTiffMessages.Scope messages, string path)
        {
            this.tiff = tiff;
            this.messages = messages;
            this.path = path;
        }

        public void SetLayout(GeoRasterHeader raster, WritePlan plan)
        {
            var storage = plan.Storage;
            var type = raster.DataType;
            Set(TiffTag.IMAGEWIDTH, "ImageWidth", raster.Width);
            Set(TiffTag.IMAGELENGTH, "ImageLength", raster.Height);
            Set(TiffTag.SAMPLESPERPIXEL, "SamplesPerPixel", raster.BandCount);
            Set(TiffTag.BITSPERSAMPLE, "BitsPerSample", type.BytesPerSample() * 8);
            Set(TiffTag.SAMPLEFORMAT, "SampleFormat", type switch
            {
                RasterDataType.Int16 or RasterDataType.Int32 => SampleFormat.INT,
                RasterDataType.Float32 or RasterDataType.Float64 => SampleFormat.IEEEFP,
                _ => SampleFormat.UINT,
            });
            Set(TiffTag.PHOTOMETRIC, "PhotometricInterpretation", Photometric.MINISBLACK);
            if (raster.BandCount > 1)
            {
                // As GDAL does: the bands after the first are "unspecified" extra samples of a grey image.
                Set(TiffTag.EXTRASAMPLES, "ExtraSamples", raster.BandCount - 1, new short[raster.BandCount - 1]);
            }

            Set(TiffTag.PLANARCONFIG, "PlanarConfiguration",
                storage.Interleave == GeoTiffInterleave.Pixel ? PlanarConfig.CONTIG : PlanarConfig.SEPARATE);
            if (storage.IsTiled)
            {
                Set(TiffTag.TILEWIDTH, "TileWidth", storage.BlockWidth);
                Set(TiffTag.TILELENGTH, "TileLength", storage.BlockHeight);
            }
            else
            {
                Set(TiffTag.ROWSPERSTRIP, "RowsPerStrip", storage.BlockHeight);
            }

            switch (storage.Compression)
            {
                case GeoTiffCompression.Zstd:
                    // LibTiff.NET has no ZSTD codec: the tag is stored as is and blocks are written raw,
                    // so the predictor tag (normally a codec's) has to be declared for this file.
                    Set(TiffTag.COMPRESSION, "Compression", GeoTiffTags.ZstdCompression);
                    tiff.MergeFieldInfo(new[]
                    {
                        new TiffFieldInfo(TiffTag.PREDICTOR, 1, 1, TiffType.SHORT, FieldBit.Custom, false, false, "Predictor"),
                    }, 1);
                    break;
                case GeoTiffCompression.Deflate:
                    // 8 is the code GDAL writes (libtiff's "Adobe deflate"); 32946 is the obsolete one.
                    Set(TiffTag.COMPRESSION, "Compression", Compression.ADOBE_DEFLATE);
                    break;
                case GeoTiffCompression.Lzw:
                    Set(TiffTag.COMPRESSION, "Compression", Compression.LZW);
                    break;
                default:
                    Set(TiffTag.COMPRESSION, "Compression", Compression.NONE);
                    break;
            }

            if (storage.Predictor != GeoTiffPredictor.None)
            {
                Set(TiffTag.PREDICTOR, "Predictor", (short)storage.Predictor);
            }
        }

        public void SetGeoreferencing(GeoRasterHeader raster, WritePlan plan)
        {
            if (raster.GeoTransform is { } t)
            {
                if (t.IsNorthUp && t.PixelHeight < 0)
                {
                    // GDAL's choice for north-up images: a scale and the top-left corner as the tiepoint.
                    Set(GeoTiffTags.ModelPixelScale, "ModelPixelScale", 3, new[] { t.PixelWidth, -t.PixelHeight, 0.0 });
                    Set(GeoTiffTags.ModelTiepoint, "ModelTiepoint", 6, new[] { 0.0, 0.0, 0.0, t.OriginX, t.OriginY, 0.0 });
                }
                else
                {
                    Set(GeoTiffTags.ModelTransformation, "ModelTransformation", 16, new[]
                    {
                        t.PixelWidth, t.RowRotation, 0.0, t.OriginX,
                        t.ColumnRotation, t.PixelHeight, 0.0, t.OriginY,
                        0.0, 0.0, 0.0, 0.0,
                        0.0, 0.0, 0.0, 1.0,
                    });
                }
            }

            if (raster.Epsg is int epsg)
            {
                ushort[] keys;
                try
                {
                    keys = GeoKeyDirectory.Build(epsg, plan.GeographicCrs);
                }
                catch (ArgumentOutOfRangeException error)
                {
                    throw new GeoTiffException(path, $"Cannot write GeoTIFF '{path}': {error.Message}", error);
                }

                Set(GeoTiffTags.GeoKeyDirectory, "GeoKeyDirectory", keys.Length, keys.Select(k => (short)k).ToArray());
            }
        }

        public void SetGdalMetadata(WritePlan plan)
        {
            if (GdalMetadataXml.WriteBandDescriptions(plan.BandDescriptions) is { } xml)
            {
                Set(GeoTiffTags.GdalMetadata, "GDAL_METADATA", xml);
            }

            if (plan.NoData is double noData)
            {
                Set(GeoTiffTags.GdalNoData, "GDAL_NODATA", GdalNoDataText.Format(noData));
            }
        }

        /// <summary>Writes one block's bytes (machine order, before compression) at its index; ZSTD blocks are encoded here.</summary>
        public void WriteBlock(TiffBlockGrid grid, BlockPlace place, byte[] buffer, int size, ZstdBlockEncoder? zstd)
        {
            int written;
            if (zstd is not null)
            {
                byte[] encoded = zstd.Encode(place, buffer.AsSpan(0, size));
                written = grid.IsTiled
                    ? tiff.WriteRawTile(place.Index, encoded, encoded.Length)
                    : tiff.WriteRawStrip(place.Index, encoded, encoded.Length);
                written = written == encoded.Length ? size : -1;
            }
            else
            {
                written = grid.IsTiled
                    ? tiff.WriteEncodedTile(place.Index, buffer, size)
                    : tiff.WriteEncodedStrip(place.Index, buffer, size);
            }

            if (written != size || messages.HasErrors)
            {
                throw Failed(path, messages, "writing " + grid.Describe(place));
            }
        }

        private void Set(TiffTag tag, string name, params object[] values)
        {
            if (!tiff.SetField(tag, values) || messages.HasErrors)
            {
                throw Failed(path, messages, $"setting the {name} tag ({(int)tag}) to {string.Join(", ", values.Select(Describe))}");
            }
        }

        private static string Describe(object value) => value is Array array
            ? "[" + string.Join(", ", array.Cast<object>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "]"
            : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
    }
}
