namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>TIFF predictors (tag 317): differencing applied before compression so that it compresses better.</summary>
public enum GeoTiffPredictor
{
    None = 1,

    /// <summary>Horizontal differencing of integer samples (TIFF 6.0 §14).</summary>
    Horizontal = 2,

    /// <summary>Byte-plane differencing of floating-point samples (Adobe TIFF Technical Note 3).</summary>
    FloatingPoint = 3,
}
