using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Tag numbers GeoDsl reads beyond baseline TIFF, and their registration with LibTiff.NET.
/// Sources: OGC GeoTIFF 1.1 standard (19-008r4) §7 for 33550/33922/34264/34735-34737;
/// GDAL's GTiff driver documentation for 42112 (GDAL_METADATA) and 42113 (GDAL_NODATA);
/// libtiff's tiff.h (COMPRESSION_ZSTD = 50000) for the ZSTD compression code.
/// </summary>
internal static class GeoTiffTags
{
    public const TiffTag ModelPixelScale = (TiffTag)33550;
    public const TiffTag ModelTiepoint = (TiffTag)33922;
    public const TiffTag ModelTransformation = (TiffTag)34264;
    public const TiffTag GeoKeyDirectory = (TiffTag)34735;
    public const TiffTag GeoDoubleParams = (TiffTag)34736;
    public const TiffTag GeoAsciiParams = (TiffTag)34737;
    public const TiffTag GdalMetadata = (TiffTag)42112;
    public const TiffTag GdalNoData = (TiffTag)42113;

    /// <summary>libtiff's number for Zstandard compression; LibTiff.NET has no codec for it.</summary>
    public const int ZstdCompression = 50000;

    private static readonly object RegisterLock = new();
    private static bool registered;
    private static Tiff.TiffExtendProc? previousExtender;

    /// <summary>
    /// Makes LibTiff.NET know the GeoTIFF and GDAL tags with their real types, so it reads them as typed
    /// values (not anonymous byte blobs, with a warning each) and can write them.
    /// </summary>
    public static void EnsureRegistered()
    {
        lock (RegisterLock)
        {
            if (registered)
            {
                return;
            }

            previousExtender = Tiff.SetTagExtender(Extend);
            registered = true;
        }
    }

    private static void Extend(Tiff tiff)
    {
        tiff.MergeFieldInfo(Fields, Fields.Length);
        previousExtender?.Invoke(tiff);
    }

    private static readonly TiffFieldInfo[] Fields =
    {
        VariableCount(ModelPixelScale, TiffType.DOUBLE, "ModelPixelScaleTag"),
        VariableCount(ModelTiepoint, TiffType.DOUBLE, "ModelTiepointTag"),
        VariableCount(ModelTransformation, TiffType.DOUBLE, "ModelTransformationTag"),
        VariableCount(GeoKeyDirectory, TiffType.SHORT, "GeoKeyDirectoryTag"),
        VariableCount(GeoDoubleParams, TiffType.DOUBLE, "GeoDoubleParamsTag"),
        Ascii(GeoAsciiParams, "GeoAsciiParamsTag"),
        Ascii(GdalMetadata, "GDALMetadata"),
        Ascii(GdalNoData, "GDALNoDataValue"),
    };

    private static TiffFieldInfo VariableCount(TiffTag tag, TiffType type, string name) =>
        new(tag, TiffFieldInfo.Variable2, TiffFieldInfo.Variable2, type, FieldBit.Custom, true, true, name);

    private static TiffFieldInfo Ascii(TiffTag tag, string name) =>
        new(tag, TiffFieldInfo.Variable, TiffFieldInfo.Variable, TiffType.ASCII, FieldBit.Custom, true, false, name);
}
