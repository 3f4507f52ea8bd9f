namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>The pixel types GeoDsl reads and writes, named as GDAL names them.</summary>
public enum RasterDataType
{
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
    Float64,
}
