namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>How bands are arranged in the file (TIFF PlanarConfiguration, tag 284).</summary>
public enum GeoTiffInterleave
{
    /// <summary>All bands of a pixel together (planar configuration 1, GDAL's INTERLEAVE=PIXEL).</summary>
    Pixel = 1,

    /// <summary>One plane per band (planar configuration 2, GDAL's INTERLEAVE=BAND).</summary>
    Band = 2,
}
