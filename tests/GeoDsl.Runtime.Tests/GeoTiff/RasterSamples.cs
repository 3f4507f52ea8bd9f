using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Tests.GeoTiff;

/// <summary>Seeded rasters whose values reach each type's extremes (and, for Int32/UInt32/Float64, values float cannot hold).</summary>
public static class RasterSamples
{
    public static GeoRaster Random(RasterDataType type, int width, int height, int bands, int seed)
    {
        var random = new Random(seed);
        var values = new double[bands][];
        for (int b = 0; b < bands; b++)
        {
            values[b] = new double[width * height];
            for (int i = 0; i < values[b].Length; i++)
            {
                values[b][i] = Value(type, random);
            }

            // The extremes, in the first pixels, so every run covers them.
            var (min, max) = Extremes(type);
            values[b][0] = min;
            values[b][1] = max;
        }

        return new GeoRaster(width, height, type, values);
    }

    public static (double Min, double Max) Extremes(RasterDataType type) => type switch
    {
        RasterDataType.Byte => (byte.MinValue, byte.MaxValue),
        RasterDataType.Int16 => (short.MinValue, short.MaxValue),
        RasterDataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        RasterDataType.Int32 => (int.MinValue, int.MaxValue),
        RasterDataType.UInt32 => (uint.MinValue, uint.MaxValue),
        RasterDataType.Float32 => (float.MinValue, float.MaxValue),
        _ => (double.MinValue, double.MaxValue),
    };

    private static double Value(RasterDataType type, Random random) => type switch
    {
        RasterDataType.Byte => random.Next(0, 256),
        RasterDataType.Int16 => random.Next(short.MinValue, short.MaxValue + 1),
        RasterDataType.UInt16 => random.Next(0, ushort.MaxValue + 1),
        RasterDataType.Int32 => random.NextInt64(int.MinValue, (long)int.MaxValue + 1),
        RasterDataType.UInt32 => random.NextInt64(0, (long)uint.MaxValue + 1),
        RasterDataType.Float32 => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7))),
        _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 13)),
    };
}
