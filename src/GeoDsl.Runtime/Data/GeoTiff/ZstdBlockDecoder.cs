using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using ZstdSharp;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Decodes ZSTD-compressed blocks (TIFF compression 50000, one Zstandard frame per block, as libtiff and GDAL write them).
/// Written here because LibTiff.NET has no ZSTD codec: the raw block bytes come from LibTiff.NET, the Zstandard
/// frame is expanded with ZstdSharp, and the byte order and predictor are then handled as libtiff does
/// (swap to machine order, then undo horizontal differencing; the floating-point predictor yields machine order itself).
/// </summary>
internal sealed class ZstdBlockDecoder : ITiffBlockDecoder, IDisposable
{
    private readonly Tiff tiff;
    private readonly TiffImageHeader header;
    private readonly TiffBlockGrid grid;
    private readonly LibTiffMessages.Scope messages;
    private readonly string path;
    private readonly Decompressor decompressor = new();
    private byte[] raw = Array.Empty<byte>();

    public ZstdBlockDecoder(Tiff tiff, TiffImageHeader header, TiffBlockGrid grid, LibTiffMessages.Scope messages, string path)
    {
        this.tiff = tiff;
        this.header = header;
        this.grid = grid;
        this.messages = messages;
        this.path = path;
    }

    public void Decode(BlockPlace place, byte[] destination, int decodedSize)
    {
        int rawSize = (int)header.BlockByteCounts[place.Index];
        if (raw.Length < rawSize)
        {
            raw = new byte[rawSize];
        }

        int read = grid.IsTiled
            ? tiff.ReadRawTile(place.Index, raw, 0, rawSize)
            : tiff.ReadRawStrip(place.Index, raw, 0, rawSize);
        if (messages.HasErrors || read != rawSize)
        {
            string cause = messages.HasErrors ? messages.DescribeErrors() : $"read {read} of its {rawSize} bytes";
            messages.ClearErrors();
            throw Damaged(place, cause);
        }

        int written;
        try
        {
            written = decompressor.Unwrap(raw.AsSpan(0, rawSize), destination.AsSpan(0, decodedSize));
        }
        catch (ZstdException error)
        {
            throw Damaged(place, "its Zstandard data is invalid: " + error.Message);
        }

        if (written != decodedSize)
        {
            throw Damaged(place, string.Create(CultureInfo.InvariantCulture, $"it expanded to {written} bytes instead of {decodedSize}"));
        }

        Span<byte> block = destination.AsSpan(0, decodedSize);
        int samplesPerRow = grid.BlockWidth * grid.SamplesPerBlockPixel;
        if (header.Storage.Predictor == GeoTiffPredictor.FloatingPoint)
        {
            TiffPredictors.UndoFloatingPoint(block, place.StoredRows, samplesPerRow, grid.SamplesPerBlockPixel, grid.BytesPerSample);
            return;
        }

        if (header.Storage.IsBigEndian == BitConverter.IsLittleEndian)
        {
            SwapByteOrder(block, grid.BytesPerSample);
        }

        if (header.Storage.Predictor == GeoTiffPredictor.Horizontal)
        {
            TiffPredictors.UndoHorizontal(block, place.StoredRows, samplesPerRow, grid.SamplesPerBlockPixel, grid.BytesPerSample);
        }
    }

    public void Dispose() => decompressor.Dispose();

    private static void SwapByteOrder(Span<byte> block, int bytesPerSample)
    {
        switch (bytesPerSample)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(block);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(block);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(block);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    private GeoTiffException Damaged(BlockPlace place, string cause) =>
        new(path, $"GeoTIFF '{path}': ZSTD-compressed {grid.Describe(place)} could not be decoded ({cause}). " +
                  "The file is damaged (cut short or corrupted); fetch or export it again.");
}
