using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The registered Prithvi EO encoders with the numbers TerraTorch's <c>prithvi_cfgs</c> give them
/// (terratorch/models/backbones/prithvi_vit.py @85467a9; backbone-facts.md §A1, terratorch-facts.md §2).
/// </summary>
public static class PrithviVariants
{
    private const string Tt = "TerraTorch prithvi_vit.py @85467a9";

    public static IReadOnlyList<PrithviVariant> All { get; } = new[]
    {
        new PrithviVariant("prithvi_eo_tiny", 256, 4, 4, 16, 1, false, Tt + "; no published weights"),
        new PrithviVariant("prithvi_eo_v1_100", 768, 12, 12, 16, 3, false, Tt + "; HF ibm-nasa-geospatial/Prithvi-EO-1.0-100M"),
        new PrithviVariant("prithvi_eo_v2_tiny_tl", 192, 12, 3, 16, 1, true, Tt),
        new PrithviVariant("prithvi_eo_v2_100_tl", 768, 12, 12, 16, 4, true, Tt),
        new PrithviVariant("prithvi_eo_v2_300", 1024, 24, 16, 16, 4, false, Tt + "; HF ibm-nasa-geospatial/Prithvi-EO-2.0-300M"),
        new PrithviVariant("prithvi_eo_v2_300_tl", 1024, 24, 16, 16, 4, true, Tt + "; HF ibm-nasa-geospatial/Prithvi-EO-2.0-300M-TL"),
        new PrithviVariant("prithvi_eo_v2_600", 1280, 32, 16, 14, 4, false, Tt + "; HF ibm-nasa-geospatial/Prithvi-EO-2.0-600M"),
        new PrithviVariant("prithvi_eo_v2_600_tl", 1280, 32, 16, 14, 4, true, Tt + "; HF ibm-nasa-geospatial/Prithvi-EO-2.0-600M-TL"),
    };
}
