using System;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>
/// Representative surface reflectances, scaled ×10000 as HLS stores them (int16), for the six Prithvi/HLS bands
/// BLUE (B02), GREEN (B03), RED (B04), NIR_NARROW (B8A/B05), SWIR_1 (B11/B06), SWIR_2 (B12/B07).
/// The values are typical picks inside the ranges and spectral shapes given by:
/// Bowker, Davis, Myrick, Stacy and Jones (1985), "Spectral Reflectances of Natural Targets for Use in Remote
/// Sensing Studies", NASA Reference Publication 1139 (water, vegetation, soils, clouds); the USGS Spectral Library
/// version 7 (Kokaly et al. 2017, USGS Data Series 1035) for the same classes and urban materials; and the
/// Humboldt State GSP 216 lesson "Spectral Reflectance" (clear water darkest in NIR and SWIR, turbid water brighter
/// in the visible, vegetation's red edge, soils rising with wavelength). They are not measurements of one place:
/// what matters for a water-mapping task are the relations (water: NIR and SWIR below RED; vegetation: NIR far above
/// RED; soil: rising towards SWIR_1; urban: flat and moderately bright; cloud: bright everywhere, lower in SWIR).
/// </summary>
public static class HlsReflectance
{
    public static readonly string[] BandNames = { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" };

    public static int BandCount => BandNames.Length;

    /// <summary>Mean reflectance ×10000 per band.</summary>
    public static ReadOnlySpan<double> Mean(SurfaceClass surface) => surface switch
    {
        SurfaceClass.ClearWater => new double[] { 600, 550, 350, 150, 80, 50 },
        SurfaceClass.TurbidWater => new double[] { 800, 950, 800, 400, 150, 100 },
        SurfaceClass.Vegetation => new double[] { 300, 600, 350, 3500, 1900, 900 },
        SurfaceClass.BareSoil => new double[] { 900, 1300, 1700, 2400, 3200, 2600 },
        SurfaceClass.Urban => new double[] { 1000, 1100, 1200, 1700, 1900, 1700 },
        SurfaceClass.Cloud => new double[] { 6000, 6000, 6200, 6500, 4500, 3000 },
        _ => throw new ArgumentOutOfRangeException(nameof(surface), surface, "Unknown surface class."),
    };

    /// <summary>The largest valid reflectance ×10000 (HLS's valid range is about −100 to 16000; GeoDsl keeps 0 to 10000).</summary>
    public const double Maximum = 10000;
}
