using System.Collections.Generic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// What a raster will be, before its pixels exist: size, bands, type and georeferencing. A
/// <see cref="GeoTiffStreamWriter"/> writes a file from it row band by row band, so the raster is never whole in memory.
/// </summary>
public sealed record GeoRasterHeader(int Width, int Height, int BandCount, RasterDataType DataType)
{
    public GeoTransform? GeoTransform { get; init; }

    public int? Epsg { get; init; }

    public double? NoData { get; init; }

    /// <summary>One description per band (null entries for unnamed bands); null for no names at all.</summary>
    public IReadOnlyList<string?>? BandDescriptions { get; init; }

    /// <summary>The header of an existing raster.</summary>
    public static GeoRasterHeader Of(GeoRaster raster) => new(raster.Width, raster.Height, raster.BandCount, raster.DataType)
    {
        GeoTransform = raster.GeoTransform,
        Epsg = raster.Epsg,
        NoData = raster.NoData,
        BandDescriptions = raster.BandDescriptions,
    };
}
