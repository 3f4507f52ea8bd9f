using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Reads GeoTIFFs (classic and BigTIFF; tiled or striped; pixel- or band-interleaved; uncompressed, LZW, DEFLATE,
/// PackBits or ZSTD; predictors 1, 2 and 3) with their georeferencing, nodata and band descriptions, as GDAL
/// writes them. A file it cannot read fully gives a <see cref="GeoTiffException"/>, never partial data.
/// For scenes too large to hold, <see cref="GeoTiffWindowReader"/> reads them window by window.
/// </summary>
public static class GeoTiffReader
{
    /// <summary>Reads every band.</summary>
    public static GeoRaster Read(string path) => ReadWhole(path, _ => null);

    /// <summary>Reads the given bands (zero-based, in the order given; a band may repeat).</summary>
    public static GeoRaster Read(string path, IReadOnlyList<int> bandIndices) => ReadWhole(path, _ => bandIndices);

    /// <summary>Reads the bands with the given descriptions, in the order given.</summary>
    public static GeoRaster Read(string path, IReadOnlyList<string> bandNames) =>
        ReadWhole(path, info => bandNames.Select(info.BandIndex).ToArray());

    /// <summary>Reads one window of the given bands (null for all): only the tiles or strips it touches are decoded.</summary>
    public static GeoRaster ReadWindow(string path, RasterWindow window, IReadOnlyList<int>? bandIndices = null)
    {
        using var reader = GeoTiffWindowReader.Open(path);
        return reader.Read(window, bandIndices);
    }

    /// <summary>Reads the header only: size, type, georeferencing, nodata, band descriptions and storage layout.</summary>
    public static GeoRasterInfo ReadInfo(string path)
    {
        using var reader = GeoTiffWindowReader.Open(path);
        return reader.Info;
    }

    private static GeoRaster ReadWhole(string path, System.Func<GeoRasterInfo, IReadOnlyList<int>?> selection)
    {
        using var reader = GeoTiffWindowReader.Open(path);
        var info = reader.Info;
        return reader.Read(RasterWindow.Whole(info.Width, info.Height), selection(info));
    }
}
