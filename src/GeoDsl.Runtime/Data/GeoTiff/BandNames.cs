using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>Finds a band by its description: exact match first, then ignoring case (NIR_NARROW = nir_narrow).</summary>
internal static class BandNames
{
    public static int? TryIndexOf(IReadOnlyList<string?> descriptions, string name)
    {
        for (int band = 0; band < descriptions.Count; band++)
        {
            if (string.Equals(descriptions[band], name, StringComparison.Ordinal))
            {
                return band;
            }
        }

        int? found = null;
        for (int band = 0; band < descriptions.Count; band++)
        {
            if (string.Equals(descriptions[band], name, StringComparison.OrdinalIgnoreCase))
            {
                if (found is not null)
                {
                    return null; // ambiguous ignoring case, and no exact match
                }

                found = band;
            }
        }

        return found;
    }

    public static int IndexOf(IReadOnlyList<string?> descriptions, string name, string filePath)
    {
        if (TryIndexOf(descriptions, name) is int band)
        {
            return band;
        }

        throw new GeoTiffException(filePath, $"GeoTIFF '{filePath}' has no band named '{name}'. {Describe(descriptions)}");
    }

    /// <summary>"Its bands are: 0 BLUE, 1 GREEN, ..." or a hint on how to name them, for messages.</summary>
    public static string Describe(IReadOnlyList<string?> descriptions)
    {
        if (descriptions.All(string.IsNullOrEmpty))
        {
            return $"Its {descriptions.Count} band(s) have no descriptions; select bands by index, " +
                   "or name them (GDAL: gdal_edit.py or a band description per band in GDAL_METADATA).";
        }

        return "Its bands are: " + string.Join(", ", descriptions.Select((d, i) => $"{i} {d ?? "(unnamed)"}")) + ".";
    }
}
