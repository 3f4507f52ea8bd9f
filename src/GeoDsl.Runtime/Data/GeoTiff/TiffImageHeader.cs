using System;
using System.Globalization;
using System.IO;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// The pixel layout of a TIFF's first image, checked for what GeoDsl can decode. Anything else
/// (JPEG, palette, 12-bit, Int8, ...) is refused here with the property and its value named.
/// </summary>
internal sealed class TiffImageHeader
{
    private TiffImageHeader(
        int width,
        int height,
        int samplesPerPixel,
        RasterDataType dataType,
        TiffStorageLayout storage,
        long[] blockOffsets,
        long[] blockByteCounts)
    {
        Width = width;
        Height = height;
        SamplesPerPixel = samplesPerPixel;
        DataType = dataType;
        Storage = storage;
        BlockOffsets = blockOffsets;
        BlockByteCounts = blockByteCounts;
    }

    public int Width { get; }

    public int Height { get; }

    public int SamplesPerPixel { get; }

    public RasterDataType DataType { get; }

    public TiffStorageLayout Storage { get; }

    public long[] BlockOffsets { get; }

    public long[] BlockByteCounts { get; }

    public int BytesPerSample => DataType.BytesPerSample();

    public static TiffImageHeader Read(Tiff tiff, string path)
    {
        var (isBigTiff, isBigEndian) = ReadContainerFlavour(path);

        int width = RequiredInt(tiff, TiffTag.IMAGEWIDTH, "ImageWidth (256)", path);
        int height = RequiredInt(tiff, TiffTag.IMAGELENGTH, "ImageLength (257)", path);
        if (width <= 0 || height <= 0)
        {
            throw Unsupported(path, "image size", $"{width}×{height}", "a TIFF image has at least one row and one column");
        }

        if ((long)width * height > Array.MaxLength)
        {
            throw new GeoTiffException(path,
                $"GeoTIFF '{path}' is {width}×{height} pixels, more than one in-memory band array can hold ({Array.MaxLength} values). " +
                "Cut it into smaller files first, e.g. with gdal_retile.py.");
        }

        // Compression first: a JPEG file's photometric (YCbCr) is a consequence of its compression, not the cause.
        int compressionCode = TiffFieldValues.IntOrDefault(tiff, TiffTag.COMPRESSION);
        GeoTiffCompression compression = CompressionOf(path, compressionCode);

        int samplesPerPixel = TiffFieldValues.IntOrDefault(tiff, TiffTag.SAMPLESPERPIXEL);
        int bitsPerSample = TiffFieldValues.IntOrDefault(tiff, TiffTag.BITSPERSAMPLE);
        int sampleFormat = TiffFieldValues.IntOrDefault(tiff, TiffTag.SAMPLEFORMAT);
        RasterDataType dataType = DataTypeOf(path, bitsPerSample, sampleFormat);

        CheckPhotometric(tiff, path);

        int planar = TiffFieldValues.IntOrDefault(tiff, TiffTag.PLANARCONFIG);
        var interleave = planar switch
        {
            (int)PlanarConfig.CONTIG => GeoTiffInterleave.Pixel,
            (int)PlanarConfig.SEPARATE => GeoTiffInterleave.Band,
            _ => throw Unsupported(path, "PlanarConfiguration (284)", planar.ToString(CultureInfo.InvariantCulture),
                "TIFF defines 1 (pixel-interleaved) and 2 (band-interleaved)"),
        };
        if (samplesPerPixel == 1)
        {
            interleave = GeoTiffInterleave.Pixel; // one band: both layouts are the same bytes
        }

        GeoTiffPredictor predictor = PredictorOf(tiff, path, compression, dataType);

        bool tiled = tiff.IsTiled();
        int blockWidth, blockHeight;
        if (tiled)
        {
            blockWidth = RequiredInt(tiff, TiffTag.TILEWIDTH, "TileWidth (322)", path);
            blockHeight = RequiredInt(tiff, TiffTag.TILELENGTH, "TileLength (323)", path);
            if (blockWidth <= 0 || blockHeight <= 0)
            {
                throw Unsupported(path, "tile size", $"{blockWidth}×{blockHeight}", "tiles are at least 1×1");
            }
        }
        else
        {
            blockWidth = width;
            long rowsPerStrip = (uint)TiffFieldValues.IntOrDefault(tiff, TiffTag.ROWSPERSTRIP);
            blockHeight = (int)Math.Clamp(rowsPerStrip == 0 ? height : rowsPerStrip, 1, height);
        }

        var storage = new TiffStorageLayout(tiled, blockWidth, blockHeight, interleave, compression, predictor, isBigTiff, isBigEndian);

        long[]? offsets = TiffFieldValues.Longs(tiff, tiled ? TiffTag.TILEOFFSETS : TiffTag.STRIPOFFSETS);
        long[]? byteCounts = TiffFieldValues.Longs(tiff, tiled ? TiffTag.TILEBYTECOUNTS : TiffTag.STRIPBYTECOUNTS);
        string blockKind = tiled ? "Tile" : "Strip";
        if (offsets is null || byteCounts is null)
        {
            throw new GeoTiffException(path,
                $"GeoTIFF '{path}' lacks its {blockKind}Offsets or {blockKind}ByteCounts tag, so its pixels cannot be found. " +
                "The file is damaged; export it again.");
        }

        var header = new TiffImageHeader(width, height, samplesPerPixel, dataType, storage, offsets, byteCounts);
        var grid = new TiffBlockGrid(header);
        if (offsets.Length < grid.BlockCount || byteCounts.Length < grid.BlockCount)
        {
            throw new GeoTiffException(path,
                $"GeoTIFF '{path}' needs {grid.BlockCount} {blockKind.ToLowerInvariant()}s for its {width}×{height} pixels and {samplesPerPixel} band(s), " +
                $"but its {blockKind}Offsets/{blockKind}ByteCounts list {Math.Min(offsets.Length, byteCounts.Length)}. The file is damaged; export it again.");
        }

        return header;
    }

    /// <summary>Byte order and classic/BigTIFF, from the 4-byte file signature (LibTiff.NET does not expose them all).</summary>
    private static (bool IsBigTiff, bool IsBigEndian) ReadContainerFlavour(string path)
    {
        Span<byte> signature = stackalloc byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.Read(signature) < 4)
            {
                throw new GeoTiffException(path, $"GeoTIFF '{path}' is shorter than a TIFF header (4 bytes). The file is empty or cut short; fetch it again.");
            }
        }

        bool bigEndian = signature[0] == (byte)'M';
        int version = bigEndian ? (signature[2] << 8) | signature[3] : signature[2] | (signature[3] << 8);
        return (version == 43, bigEndian);
    }

    private static int RequiredInt(Tiff tiff, TiffTag tag, string tagName, string path)
    {
        FieldValue[]? value = tiff.GetField(tag);
        if (value is null || value.Length == 0)
        {
            throw new GeoTiffException(path, $"GeoTIFF '{path}' lacks the required {tagName} tag. The file is damaged or not an image; export it again.");
        }

        return value[0].ToInt();
    }

    private static RasterDataType DataTypeOf(string path, int bits, int sampleFormat)
    {
        // SampleFormat 4 ("undefined") is read as unsigned, as GDAL does.
        var format = (SampleFormat)(sampleFormat == 0 ? 1 : sampleFormat);
        if (bits is not (8 or 16 or 32 or 64))
        {
            throw Unsupported(path, "BitsPerSample (258)", bits.ToString(CultureInfo.InvariantCulture),
                "GeoDsl reads 8-, 16-, 32- and 64-bit samples; convert with gdal_translate -ot UInt16 (or Byte, Int16, Float32)");
        }

        return (format, bits) switch
        {
            (SampleFormat.UINT or SampleFormat.VOID, 8) => RasterDataType.Byte,
            (SampleFormat.UINT or SampleFormat.VOID, 16) => RasterDataType.UInt16,
            (SampleFormat.UINT or SampleFormat.VOID, 32) => RasterDataType.UInt32,
            (SampleFormat.INT, 16) => RasterDataType.Int16,
            (SampleFormat.INT, 32) => RasterDataType.Int32,
            (SampleFormat.IEEEFP, 32) => RasterDataType.Float32,
            (SampleFormat.IEEEFP, 64) => RasterDataType.Float64,
            (SampleFormat.INT, 8) => throw Unsupported(path, "SampleFormat (339) with BitsPerSample 8", "signed 8-bit (Int8)",
                "convert with gdal_translate -ot Int16"),
            (SampleFormat.INT or SampleFormat.UINT or SampleFormat.VOID, 64) => throw Unsupported(path, "SampleFormat (339) with BitsPerSample 64",
                $"{format} 64-bit integers", "convert with gdal_translate -ot Float64 or -ot Int32"),
            (SampleFormat.IEEEFP, _) => throw Unsupported(path, "SampleFormat (339) with BitsPerSample " + bits.ToString(CultureInfo.InvariantCulture),
                $"{bits}-bit floating point", "convert with gdal_translate -ot Float32"),
            _ => throw Unsupported(path, "SampleFormat (339)", $"{sampleFormat} ({format}) with {bits} bits",
                "GeoDsl reads unsigned and signed integers and IEEE floating point; convert with gdal_translate -ot Float32"),
        };
    }

    private static void CheckPhotometric(Tiff tiff, string path)
    {
        int? photometric = TiffFieldValues.Int(tiff, TiffTag.PHOTOMETRIC);
        switch ((Photometric?)photometric)
        {
            case null:
            case Photometric.MINISBLACK:
            case Photometric.MINISWHITE:
            case Photometric.RGB:
            case Photometric.SEPARATED:
                return;
            case Photometric.PALETTE:
                throw Unsupported(path, "PhotometricInterpretation (262)", "3 (palette)",
                    "palette images hold indices into a colour table, not measurements; expand them with gdal_translate -expand rgb, or read the indices after gdal_translate -co PHOTOMETRIC=MINISBLACK");
            default:
                throw Unsupported(path, "PhotometricInterpretation (262)", $"{photometric} ({(Photometric)photometric})",
                    "GeoDsl reads min-is-black, min-is-white, RGB and separated bands; convert with gdal_translate -co PHOTOMETRIC=MINISBLACK");
        }
    }

    private static GeoTiffCompression CompressionOf(string path, int code) => code switch
    {
        1 => GeoTiffCompression.None,
        5 => GeoTiffCompression.Lzw,
        8 or 32946 => GeoTiffCompression.Deflate, // 32946 is the old code for the same codec
        32773 => GeoTiffCompression.PackBits,
        GeoTiffTags.ZstdCompression => GeoTiffCompression.Zstd,
        _ => throw Unsupported(path, "Compression (259)", $"{code} ({CompressionName(code)})",
            "GeoDsl reads uncompressed, LZW, DEFLATE, PackBits and ZSTD; convert with gdal_translate -co COMPRESS=DEFLATE"),
    };

    private static string CompressionName(int code) => code switch
    {
        2 or 3 or 4 => "CCITT fax",
        6 => "old-style JPEG",
        7 => "JPEG",
        34712 => "JPEG 2000",
        34887 => "LERC",
        34925 => "LZMA",
        50001 => "WEBP",
        50002 => "JPEG XL",
        _ => "unknown",
    };

    private static GeoTiffPredictor PredictorOf(Tiff tiff, string path, GeoTiffCompression compression, RasterDataType dataType)
    {
        int code = TiffFieldValues.Int(tiff, TiffTag.PREDICTOR) ?? 1;
        return code switch
        {
            1 => GeoTiffPredictor.None,
            2 => GeoTiffPredictor.Horizontal,
            3 when dataType.IsFloatingPoint() => GeoTiffPredictor.FloatingPoint,
            3 => throw Unsupported(path, "Predictor (317)", $"3 (floating point) on {dataType} samples",
                "the floating-point predictor applies to Float32/Float64 only; the file is inconsistent, re-export it"),
            _ => throw Unsupported(path, "Predictor (317)", code.ToString(CultureInfo.InvariantCulture),
                $"TIFF defines predictors 1, 2 and 3 (compression {compression}); re-export with gdal_translate -co PREDICTOR=2"),
        };
    }

    private static GeoTiffException Unsupported(string path, string property, string value, string fix) =>
        new(path, $"GeoTIFF '{path}' has {property} = {value}, which GeoDsl does not read: {fix}.");
}
