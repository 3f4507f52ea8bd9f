using System;
using System.Collections.Generic;
using System.Globalization;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// GDAL's affine geotransform: map X = OriginX + col·PixelWidth + row·RowRotation,
/// map Y = OriginY + col·ColumnRotation + row·PixelHeight, for the top-left corner of pixel (col, row).
/// PixelHeight is negative for north-up images.
/// </summary>
public readonly record struct GeoTransform(
    double OriginX,
    double PixelWidth,
    double RowRotation,
    double OriginY,
    double ColumnRotation,
    double PixelHeight)
{
    /// <summary>A north-up transform without rotation.</summary>
    public static GeoTransform NorthUp(double originX, double originY, double pixelWidth, double pixelHeight) =>
        new(originX, pixelWidth, 0, originY, 0, -Math.Abs(pixelHeight));

    /// <summary>Builds one from GDAL's six numbers, in GDAL's order.</summary>
    public static GeoTransform FromGdal(IReadOnlyList<double> coefficients)
    {
        if (coefficients.Count != 6)
        {
            throw new ArgumentException(
                $"A GDAL geotransform has 6 numbers, got {coefficients.Count}.", nameof(coefficients));
        }

        return new GeoTransform(
            coefficients[0], coefficients[1], coefficients[2], coefficients[3], coefficients[4], coefficients[5]);
    }

    /// <summary>GDAL's six numbers: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight].</summary>
    public double[] ToGdal() => new[] { OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight };

    public bool IsNorthUp => RowRotation == 0 && ColumnRotation == 0;

    /// <summary>Map coordinates of a pixel position (use col + 0.5, row + 0.5 for a pixel's centre).</summary>
    public (double X, double Y) PixelToMap(double col, double row) =>
        (OriginX + col * PixelWidth + row * RowRotation, OriginY + col * ColumnRotation + row * PixelHeight);

    /// <summary>The transform of a window whose top-left pixel is (<paramref name="column"/>, <paramref name="row"/>) of this raster.</summary>
    public GeoTransform Shifted(double column, double row)
    {
        var (x, y) = PixelToMap(column, row);
        return this with { OriginX = x, OriginY = y };
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{OriginX}, {PixelWidth}, {RowRotation}, {OriginY}, {ColumnRotation}, {PixelHeight}]");
}
