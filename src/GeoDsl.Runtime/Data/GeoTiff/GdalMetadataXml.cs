using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// The GDAL_METADATA tag (42112): an XML document &lt;GDALMetadata&gt; of &lt;Item name=".." sample=".." role=".."&gt;
/// elements. GDAL stores a band's description as an item with role="description" and the band's
/// zero-based index in sample (GDAL GTiff driver documentation, "Metadata").
/// </summary>
internal static class GdalMetadataXml
{
    /// <summary>Band descriptions by band index; null for bands without one. Null when the file has none at all.</summary>
    public static string?[]? ReadBandDescriptions(string? xml, int bandCount, string filePath)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        XElement root;
        try
        {
            root = XElement.Parse(xml!.TrimEnd('\0'));
        }
        catch (XmlException error)
        {
            throw new GeoTiffException(filePath,
                $"GeoTIFF '{filePath}': the GDAL_METADATA tag (42112) is not well-formed XML ({error.Message}). " +
                "Rewrite the file's metadata, e.g. with gdal_edit.py or gdal_translate.", error);
        }

        var descriptions = new string?[bandCount];
        bool any = false;
        foreach (var item in root.Elements("Item"))
        {
            if (!string.Equals((string?)item.Attribute("role"), "description", StringComparison.Ordinal))
            {
                continue;
            }

            if (!int.TryParse((string?)item.Attribute("sample"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int band)
                || band < 0 || band >= bandCount)
            {
                // A description for a band the file does not have: GDAL ignores it too.
                continue;
            }

            descriptions[band] = item.Value;
            any = true;
        }

        return any ? descriptions : null;
    }

    /// <summary>The XML GDAL writes for band descriptions, or null when no band has one.</summary>
    public static string? WriteBandDescriptions(IReadOnlyList<string?> descriptions)
    {
        if (descriptions.All(string.IsNullOrEmpty))
        {
            return null;
        }

        var root = new XElement("GDALMetadata");
        for (int band = 0; band < descriptions.Count; band++)
        {
            if (!string.IsNullOrEmpty(descriptions[band]))
            {
                root.Add(new XElement("Item",
                    new XAttribute("name", "DESCRIPTION"),
                    new XAttribute("sample", band.ToString(CultureInfo.InvariantCulture)),
                    new XAttribute("role", "description"),
                    descriptions[band]));
            }
        }

        return root.ToString(SaveOptions.None) + "\n";
    }
}
