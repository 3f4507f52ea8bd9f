using System.Linq;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Reads LibTiff.NET field values whatever shape they come in: typed (a registered tag) or
/// [count, raw bytes] (a tag LibTiff.NET does not know, such as PREDICTOR when the codec is missing).
/// </summary>
internal static class TiffFieldValues
{
    public static int? Int(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetField(tag);
        if (value is null || value.Length == 0)
        {
            return null;
        }

        if (value.Length >= 2 && value[1].Value is byte[])
        {
            // Anonymous tag: [count, values as native-order bytes].
            return value[1].ToShortArray().FirstOrDefault();
        }

        return value[0].ToInt();
    }

    public static int IntOrDefault(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetFieldDefaulted(tag);
        return value is null || value.Length == 0 ? 0 : value[0].ToInt();
    }

    public static double[]? Doubles(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetField(tag);
        return value is null || value.Length < 2 ? null : value[1].ToDoubleArray();
    }

    public static ushort[]? UShorts(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetField(tag);
        return value is null || value.Length < 2 ? null : value[1].ToUShortArray();
    }

    public static string? Ascii(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetField(tag);
        if (value is null || value.Length == 0)
        {
            return null;
        }

        // Registered ASCII tags come as [string]; anonymous ones as [count, bytes].
        object? raw = value.Length >= 2 ? value[1].Value : value[0].Value;
        string? text = raw switch
        {
            string s => s,
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            _ => value[0].ToString(),
        };
        return text?.TrimEnd('\0');
    }

    /// <summary>Strip or tile offsets and byte counts, as 64-bit numbers whatever the file (classic or BigTIFF).</summary>
    public static long[]? Longs(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? value = tiff.GetField(tag);
        if (value is null || value.Length == 0)
        {
            return null;
        }

        return value[0].Value switch
        {
            ulong[] u => u.Select(v => v > long.MaxValue ? long.MaxValue : (long)v).ToArray(),
            long[] l => l,
            uint[] u => u.Select(v => (long)v).ToArray(),
            int[] i => i.Select(v => (long)(uint)v).ToArray(),
            _ => value[0].TolongArray(),
        };
    }
}
