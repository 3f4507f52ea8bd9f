using System;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>Sizes, ranges and TIFF encodings of each <see cref="RasterDataType"/>.</summary>
public static class RasterDataTypeFacts
{
    public static int BytesPerSample(this RasterDataType type) => type switch
    {
        RasterDataType.Byte => 1,
        RasterDataType.Int16 or RasterDataType.UInt16 => 2,
        RasterDataType.Int32 or RasterDataType.UInt32 or RasterDataType.Float32 => 4,
        RasterDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown raster data type."),
    };

    public static bool IsFloatingPoint(this RasterDataType type) =>
        type is RasterDataType.Float32 or RasterDataType.Float64;

    /// <summary>
    /// True when every value of the type survives a round trip through <see cref="float"/>:
    /// 8- and 16-bit integers and Float32. Int32, UInt32 and Float64 need the exact (double) copy.
    /// </summary>
    public static bool IsExactInFloat32(this RasterDataType type) =>
        type is RasterDataType.Byte or RasterDataType.Int16 or RasterDataType.UInt16 or RasterDataType.Float32;

    /// <summary>Whether <paramref name="value"/> is a value this type can hold: exactly for integers, after rounding for Float32.</summary>
    public static bool CanHold(this RasterDataType type, double value) => type switch
    {
        RasterDataType.Byte => IsIntegerIn(value, byte.MinValue, byte.MaxValue),
        RasterDataType.Int16 => IsIntegerIn(value, short.MinValue, short.MaxValue),
        RasterDataType.UInt16 => IsIntegerIn(value, ushort.MinValue, ushort.MaxValue),
        RasterDataType.Int32 => IsIntegerIn(value, int.MinValue, int.MaxValue),
        RasterDataType.UInt32 => IsIntegerIn(value, uint.MinValue, uint.MaxValue),
        // Float32 holds any double of its range after rounding (nodata "0.1" is common); NaN and infinities too.
        RasterDataType.Float32 => !double.IsFinite(value) || Math.Abs(value) <= float.MaxValue,
        RasterDataType.Float64 => true,
        _ => false,
    };

    private static bool IsIntegerIn(double value, double min, double max) =>
        value >= min && value <= max && Math.Floor(value) == value;
}
