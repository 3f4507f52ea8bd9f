using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Reads a GeoTIFF's georeferencing the way GDAL does: the geotransform from ModelPixelScale + ModelTiepoint,
/// or from ModelTransformation; the EPSG code from the GeoKeyDirectory; pixel-is-point files shifted by half a
/// pixel so the transform always describes pixel corners (GDAL's default, GTIFF_POINT_GEO_IGNORE=NO).
/// </summary>
internal static class GeoTiffGeoreferencing
{
    public static (GeoTransform? Transform, int? Epsg) Read(Tiff tiff, string path)
    {
        GeoKeyDirectory? keys = null;
        if (TiffFieldValues.UShorts(tiff, GeoTiffTags.GeoKeyDirectory) is { } words)
        {
            keys = GeoKeyDirectory.Parse(words, path);
        }

        GeoTransform? transform = ReadTransform(tiff);
        if (transform is { } t && keys?.IsPixelIsPoint == true)
        {
            transform = t with
            {
                OriginX = t.OriginX - 0.5 * t.PixelWidth - 0.5 * t.RowRotation,
                OriginY = t.OriginY - 0.5 * t.ColumnRotation - 0.5 * t.PixelHeight,
            };
        }

        return (transform, keys?.Epsg);
    }

    private static GeoTransform? ReadTransform(Tiff tiff)
    {
        double[]? scale = TiffFieldValues.Doubles(tiff, GeoTiffTags.ModelPixelScale);
        double[]? tiepoints = TiffFieldValues.Doubles(tiff, GeoTiffTags.ModelTiepoint);
        if (scale is { Length: >= 2 } && tiepoints is { Length: >= 6 })
        {
            // Tiepoint (I, J, K, X, Y, Z): raster position (I, J) lies at map position (X, Y).
            double pixelWidth = scale[0];
            double pixelHeight = -scale[1];
            return new GeoTransform(
                tiepoints[3] - tiepoints[0] * pixelWidth, pixelWidth, 0,
                tiepoints[4] - tiepoints[1] * pixelHeight, 0, pixelHeight);
        }

        double[]? matrix = TiffFieldValues.Doubles(tiff, GeoTiffTags.ModelTransformation);
        if (matrix is { Length: >= 16 })
        {
            // Row-major 4×4: X = m0·col + m1·row + m3, Y = m4·col + m5·row + m7.
            return new GeoTransform(matrix[3], matrix[0], matrix[1], matrix[7], matrix[4], matrix[5]);
        }

        // Several tiepoints without a scale are ground control points; GeoDsl does not warp them.
        return null;
    }
}
