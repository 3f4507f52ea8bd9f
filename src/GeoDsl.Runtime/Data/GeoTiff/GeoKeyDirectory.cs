using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// The GeoKeyDirectoryTag (34735): a header (version 1, revision 1, minor 0 or 1, key count) then one
/// (key id, tag location, count, value) quadruple per key, sorted by key id. Only keys whose value is
/// stored inline (tag location 0) matter to GeoDsl. Key ids and codes: OGC GeoTIFF 1.1 (19-008r4) §7.
/// </summary>
internal sealed class GeoKeyDirectory
{
    public const ushort ModelTypeKey = 1024;
    public const ushort RasterTypeKey = 1025;
    public const ushort GeographicTypeKey = 2048;
    public const ushort ProjectedCsTypeKey = 3072;

    public const ushort ModelTypeProjected = 1;
    public const ushort ModelTypeGeographic = 2;
    public const ushort RasterPixelIsArea = 1;
    public const ushort RasterPixelIsPoint = 2;

    /// <summary>"User-defined": the CRS is described by other keys and has no EPSG code.</summary>
    public const ushort UserDefined = 32767;

    private readonly Dictionary<ushort, ushort> inlineValues;

    private GeoKeyDirectory(Dictionary<ushort, ushort> inlineValues)
    {
        this.inlineValues = inlineValues;
    }

    public static GeoKeyDirectory Parse(IReadOnlyList<ushort> words, string filePath)
    {
        if (words.Count < 4)
        {
            throw new GeoTiffException(filePath,
                $"GeoTIFF '{filePath}': the GeoKeyDirectory tag (34735) holds {words.Count} numbers, fewer than its 4-number header. " +
                "The georeferencing is damaged; re-export the file with GDAL (gdal_translate).");
        }

        int keyCount = words[3];
        int available = (words.Count - 4) / 4;
        if (keyCount > available)
        {
            throw new GeoTiffException(filePath,
                $"GeoTIFF '{filePath}': the GeoKeyDirectory tag (34735) announces {keyCount} keys but holds {available}. " +
                "The georeferencing is damaged; re-export the file with GDAL (gdal_translate).");
        }

        var values = new Dictionary<ushort, ushort>();
        for (int key = 0; key < keyCount; key++)
        {
            int at = 4 + key * 4;
            ushort keyId = words[at];
            ushort location = words[at + 1];
            if (location == 0)
            {
                values[keyId] = words[at + 3];
            }
        }

        return new GeoKeyDirectory(values);
    }

    public ushort? Get(ushort keyId) => inlineValues.TryGetValue(keyId, out var value) ? value : null;

    /// <summary>
    /// The EPSG code of the CRS: the projected CRS for a projected model, the geographic CRS for a
    /// geographic one; null when the CRS is user-defined or absent.
    /// </summary>
    public int? Epsg
    {
        get
        {
            ushort? projected = Get(ProjectedCsTypeKey);
            ushort? geographic = Get(GeographicTypeKey);
            ushort? code = Get(ModelTypeKey) switch
            {
                ModelTypeGeographic => geographic,
                ModelTypeProjected => projected,
                _ => projected ?? geographic,
            };
            return code is null or 0 or UserDefined ? null : code;
        }
    }

    public bool IsPixelIsPoint => Get(RasterTypeKey) == RasterPixelIsPoint;

    /// <summary>The key directory GDAL needs to recognise an EPSG CRS (pixel-is-area).</summary>
    public static ushort[] Build(int epsg, bool geographic)
    {
        if (epsg <= 0 || epsg >= UserDefined)
        {
            throw new ArgumentOutOfRangeException(nameof(epsg), epsg,
                $"EPSG code {epsg} cannot be stored in a GeoKey (which holds 1 to 32766).");
        }

        var keys = new List<(ushort Id, ushort Value)>
        {
            (ModelTypeKey, geographic ? ModelTypeGeographic : ModelTypeProjected),
            (RasterTypeKey, RasterPixelIsArea),
            (geographic ? GeographicTypeKey : ProjectedCsTypeKey, (ushort)epsg),
        };

        var words = new List<ushort> { 1, 1, 0, (ushort)keys.Count };
        foreach (var (id, value) in keys.OrderBy(k => k.Id))
        {
            words.AddRange(new ushort[] { id, 0, 1, value });
        }

        return words.ToArray();
    }
}
