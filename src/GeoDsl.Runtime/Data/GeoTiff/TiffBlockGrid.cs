using System;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Where each tile or strip lies in the image. Blocks are numbered plane by plane (band-interleaved files
/// have one plane per band), then row by row, then left to right, as TIFF 6.0 §15 orders them.
/// Tiles are always stored whole (edge tiles padded); the last strip holds only the rows that remain.
/// </summary>
internal sealed class TiffBlockGrid
{
    public TiffBlockGrid(TiffImageHeader header)
        : this(header.Width, header.Height, header.SamplesPerPixel, header.BytesPerSample, header.Storage)
    {
    }

    public TiffBlockGrid(int width, int height, int samplesPerPixel, int bytesPerSample, TiffStorageLayout storage)
    {
        ImageWidth = width;
        ImageHeight = height;
        BlockWidth = storage.BlockWidth;
        BlockHeight = storage.BlockHeight;
        IsTiled = storage.IsTiled;
        SamplesPerBlockPixel = storage.Interleave == GeoTiffInterleave.Pixel ? samplesPerPixel : 1;
        PlaneCount = storage.Interleave == GeoTiffInterleave.Pixel ? 1 : samplesPerPixel;
        BytesPerSample = bytesPerSample;
        BlocksAcross = IsTiled ? DivideRoundingUp(ImageWidth, BlockWidth) : 1;
        BlocksDown = DivideRoundingUp(ImageHeight, BlockHeight);
        BlocksPerPlane = BlocksAcross * BlocksDown;
    }

    public int ImageWidth { get; }

    public int ImageHeight { get; }

    public int BlockWidth { get; }

    public int BlockHeight { get; }

    public bool IsTiled { get; }

    /// <summary>Samples stored per pixel in one block: all bands when pixel-interleaved, one when band-interleaved.</summary>
    public int SamplesPerBlockPixel { get; }

    public int PlaneCount { get; }

    public int BytesPerSample { get; }

    public int BlocksAcross { get; }

    public int BlocksDown { get; }

    public int BlocksPerPlane { get; }

    public int BlockCount => BlocksPerPlane * PlaneCount;

    public int BlockIndex(int plane, int blockRow, int blockColumn) =>
        plane * BlocksPerPlane + blockRow * BlocksAcross + blockColumn;

    public BlockPlace Place(int blockIndex)
    {
        int plane = blockIndex / BlocksPerPlane;
        int inPlane = blockIndex % BlocksPerPlane;
        int row0 = inPlane / BlocksAcross * BlockHeight;
        int col0 = inPlane % BlocksAcross * BlockWidth;
        int validRows = Math.Min(BlockHeight, ImageHeight - row0);
        int validColumns = Math.Min(BlockWidth, ImageWidth - col0);
        int storedRows = IsTiled ? BlockHeight : validRows;
        return new BlockPlace(blockIndex, plane, row0, col0, validRows, validColumns, storedRows);
    }

    /// <summary>Bytes of one decoded block: stored rows × block width × samples per pixel × bytes per sample.</summary>
    public int DecodedSize(BlockPlace place) => place.StoredRows * BlockWidth * SamplesPerBlockPixel * BytesPerSample;

    public int MaxDecodedSize => BlockHeight * BlockWidth * SamplesPerBlockPixel * BytesPerSample;

    /// <summary>"tile 3 (rows 128–255, cols 0–127, band 2)" for messages.</summary>
    public string Describe(BlockPlace place)
    {
        string kind = IsTiled ? "tile" : "strip";
        string bands = PlaneCount > 1 ? $"band {place.Plane}" : SamplesPerBlockPixel > 1 ? $"all {SamplesPerBlockPixel} bands" : "the band";
        return $"{kind} {place.Index} of {BlockCount} (rows {place.Row0}–{place.Row0 + place.ValidRows - 1}, " +
               $"cols {place.Column0}–{place.Column0 + place.ValidColumns - 1}, {bands})";
    }

    private static int DivideRoundingUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);
}

/// <summary>One block's place: its plane (band, when band-interleaved), top-left pixel, and how many rows/columns are inside the image.</summary>
internal readonly record struct BlockPlace(int Index, int Plane, int Row0, int Column0, int ValidRows, int ValidColumns, int StoredRows);
