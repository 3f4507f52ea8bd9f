using System;
using ZstdSharp;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Encodes blocks as ZSTD (TIFF compression 50000): predictor, then one Zstandard frame per block, as libtiff does.
/// Written here because LibTiff.NET has no ZSTD codec; the writer stores the result with WriteRawTile/WriteRawStrip.
/// Blocks are in machine byte order and the file is written in machine byte order, so no swapping is needed.
/// </summary>
internal sealed class ZstdBlockEncoder : IDisposable
{
    // libtiff's and GDAL's default ZSTD level (ZSTD_LEVEL=9).
    private const int CompressionLevel = 9;

    private readonly Compressor compressor = new(CompressionLevel);
    private readonly TiffBlockGrid grid;
    private readonly GeoTiffPredictor predictor;

    public ZstdBlockEncoder(TiffBlockGrid grid, GeoTiffPredictor predictor)
    {
        this.grid = grid;
        this.predictor = predictor;
    }

    /// <summary>Encodes the block in place (the predictor overwrites it) and returns the compressed bytes.</summary>
    public byte[] Encode(BlockPlace place, Span<byte> block)
    {
        int samplesPerRow = grid.BlockWidth * grid.SamplesPerBlockPixel;
        switch (predictor)
        {
            case GeoTiffPredictor.Horizontal:
                TiffPredictors.ApplyHorizontal(block, place.StoredRows, samplesPerRow, grid.SamplesPerBlockPixel, grid.BytesPerSample);
                break;
            case GeoTiffPredictor.FloatingPoint:
                TiffPredictors.ApplyFloatingPoint(block, place.StoredRows, samplesPerRow, grid.SamplesPerBlockPixel, grid.BytesPerSample);
                break;
        }

        return compressor.Wrap(block).ToArray();
    }

    public void Dispose() => compressor.Dispose();
}
