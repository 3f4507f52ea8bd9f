using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Tests.GeoTiff;

namespace GeoDsl.Runtime.Tests.Datasets;

/// <summary>Builds small image/mask folders for data set tests, with values chosen so results can be checked by hand.</summary>
public sealed class ChipFolders : IDisposable
{
    private readonly TemporaryFolder root = new("chips");

    public ChipFolders()
    {
        Directory.CreateDirectory(Images);
        Directory.CreateDirectory(Masks);
    }

    public string Images => Path.Combine(root.Path, "images");

    public string Masks => Path.Combine(root.Path, "masks");

    public static readonly string[] Bands = { "BLUE", "GREEN", "RED", "NIR_NARROW" };

    /// <summary>An Int16 image whose band b, pixel i holds 1000·(b+1) + i + offset; pixel 0 of band 0 is nodata (-9999).</summary>
    public string AddImage(string fileName, int width = 4, int height = 3, int offset = 0, string[]? bands = null)
    {
        bands ??= Bands;
        var values = bands.Select((_, b) => Enumerable.Range(0, width * height).Select(i => (float)(1000 * (b + 1) + i + offset)).ToArray()).ToArray();
        values[0][0] = -9999;
        var raster = new GeoRaster(width, height, RasterDataType.Int16, values)
        {
            GeoTransform = GeoTransform.NorthUp(0, 0, 10, 10),
            Epsg = 32633,
            NoData = -9999,
            BandDescriptions = bands,
        };
        string path = Path.Combine(Images, fileName);
        GeoTiffWriter.Write(path, raster);
        return path;
    }

    /// <summary>A Byte mask: pixel i holds i % 3 (classes 0, 1, 2), the last pixel is nodata (255).</summary>
    public string AddMask(string fileName, int width = 4, int height = 3, int bands = 1)
    {
        var values = Enumerable.Range(0, bands).Select(_ => Enumerable.Range(0, width * height).Select(i => (float)(i % 3)).ToArray()).ToArray();
        values[0][^1] = 255;
        var raster = new GeoRaster(width, height, RasterDataType.Byte, values) { NoData = 255 };
        string path = Path.Combine(Masks, fileName);
        GeoTiffWriter.Write(path, raster);
        return path;
    }

    public void Dispose() => root.Dispose();
}
