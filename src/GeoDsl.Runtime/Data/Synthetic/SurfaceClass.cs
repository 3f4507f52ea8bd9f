namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>What covers a pixel of a synthetic scene.</summary>
public enum SurfaceClass
{
    ClearWater,
    TurbidWater,
    Vegetation,
    BareSoil,
    Urban,
    Cloud,
}
