using System.Collections.Generic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>What a GeoTIFF's header says, without its pixels: size, type, georeferencing, band names and storage.</summary>
public sealed record GeoRasterInfo(
    string FilePath,
    int Width,
    int Height,
    int BandCount,
    RasterDataType DataType,
    GeoTransform? GeoTransform,
    int? Epsg,
    double? NoData,
    IReadOnlyList<string?> BandDescriptions,
    TiffStorageLayout Storage)
{
    /// <summary>The index of the band described as <paramref name="name"/>; throws naming the file and its bands if none is.</summary>
    public int BandIndex(string name) => BandNames.IndexOf(BandDescriptions, name, FilePath);

    public int? TryBandIndex(string name) => BandNames.TryIndexOf(BandDescriptions, name);
}
