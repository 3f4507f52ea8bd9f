using System.Collections.Generic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// How <see cref="GeoTiffWriter"/> lays out and compresses a file. The default is what GDAL users usually ask for:
/// 256×256 tiles, pixel-interleaved, DEFLATE with the predictor that suits the data type.
/// </summary>
public sealed record GeoTiffWriteOptions
{
    public static GeoTiffWriteOptions Default { get; } = new();

    /// <summary>Tiles of the given size (a multiple of 16, as TIFF requires).</summary>
    public static GeoTiffWriteOptions Tiles(int width = 256, int height = 256) => new() { Tiled = true, TileWidth = width, TileHeight = height };

    /// <summary>Strips of the given number of rows; null picks about 64 KiB per strip.</summary>
    public static GeoTiffWriteOptions Strips(int? rowsPerStrip = null) => new() { Tiled = false, RowsPerStrip = rowsPerStrip };

    /// <summary>Tiles (true) or strips (false).</summary>
    public bool Tiled { get; init; } = true;

    public int TileWidth { get; init; } = 256;

    public int TileHeight { get; init; } = 256;

    /// <summary>Rows per strip when <see cref="Tiled"/> is false; null picks about 64 KiB per strip.</summary>
    public int? RowsPerStrip { get; init; }

    public GeoTiffInterleave Interleave { get; init; } = GeoTiffInterleave.Pixel;

    public GeoTiffCompression Compression { get; init; } = GeoTiffCompression.Deflate;

    /// <summary>
    /// The predictor; null picks one: horizontal (2) for integer types and floating point (3) for float types
    /// when the file is compressed, none otherwise.
    /// </summary>
    public GeoTiffPredictor? Predictor { get; init; }

    /// <summary>Band descriptions to write instead of the raster's own; null keeps the raster's.</summary>
    public IReadOnlyList<string?>? BandDescriptions { get; init; }

    /// <summary>A nodata value to write instead of the raster's own; null keeps the raster's.</summary>
    public double? NoData { get; init; }

    /// <summary>
    /// Whether the EPSG code names a geographic CRS (stored as GeographicTypeGeoKey) rather than a projected one
    /// (ProjectedCSTypeGeoKey); null decides from the code: 4000–4999 are geographic (EPSG's range for them).
    /// </summary>
    public bool? GeographicCrs { get; init; }

    /// <summary>Write BigTIFF; null writes BigTIFF only when the pixels alone would pass classic TIFF's 4 GiB limit.</summary>
    public bool? BigTiff { get; init; }
}
