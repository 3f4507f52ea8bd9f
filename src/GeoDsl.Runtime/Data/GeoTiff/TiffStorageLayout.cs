namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// How a GeoTIFF stores its pixels: blocks (tiles or strips), interleave, compression, predictor and
/// container flavour. For strips, BlockWidth is the image width and BlockHeight the rows per strip.
/// </summary>
public sealed record TiffStorageLayout(
    bool IsTiled,
    int BlockWidth,
    int BlockHeight,
    GeoTiffInterleave Interleave,
    GeoTiffCompression Compression,
    GeoTiffPredictor Predictor,
    bool IsBigTiff,
    bool IsBigEndian);
