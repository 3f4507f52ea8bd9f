namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>Compressions GeoDsl reads (all) and writes (all but PackBits), with their TIFF codes.</summary>
public enum GeoTiffCompression
{
    None = 1,
    Lzw = 5,
    Deflate = 8,
    PackBits = 32773,
    Zstd = 50000,
}
