using System;
using System.Globalization;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// The GDAL_NODATA tag (42113): one ASCII number for all bands, e.g. "-9999", "nan", "-inf"
/// (GDAL GTiff driver documentation, "Nodata value").
/// </summary>
internal static class GdalNoDataText
{
    public static double? Parse(string? text, string filePath)
    {
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim().TrimEnd('\0').Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        switch (trimmed.ToLowerInvariant())
        {
            case "nan":
            case "-nan":
                return double.NaN;
            case "inf":
            case "+inf":
                return double.PositiveInfinity;
            case "-inf":
                return double.NegativeInfinity;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }

        throw new GeoTiffException(filePath,
            $"GeoTIFF '{filePath}': the GDAL_NODATA tag (42113) holds '{trimmed}', which is not a number. " +
            "Set a numeric nodata value (gdal_edit.py -a_nodata) or remove it (gdal_edit.py -unsetnodata).");
    }

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // Shortest text that parses back to the same double; integers print without a decimal point as GDAL's do.
        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
