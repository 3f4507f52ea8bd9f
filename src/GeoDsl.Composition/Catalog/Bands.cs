using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog;

/// <summary>A named spectral band and its central wavelength.</summary>
public sealed record Band(string Name, double WavelengthMicrometres, string Description);

/// <summary>
/// Band names as TerraTorch's <c>HLSBands</c> spells them (terratorch/datasets/utils.py), with Sentinel-2 MSI
/// central wavelengths (ESA Sentinel-2 User Handbook, table "MSI spectral bands"); HLS harmonises Landsat
/// OLI to these bands.
/// </summary>
public static class Bands
{
    public static IReadOnlyList<Band> Hls { get; } = new[]
    {
        new Band("COASTAL_AEROSOL", 0.443, "S2 B01 / OLI B1"),
        new Band("BLUE", 0.490, "S2 B02 / OLI B2"),
        new Band("GREEN", 0.560, "S2 B03 / OLI B3"),
        new Band("RED", 0.665, "S2 B04 / OLI B4"),
        new Band("RED_EDGE_1", 0.705, "S2 B05"),
        new Band("RED_EDGE_2", 0.740, "S2 B06"),
        new Band("RED_EDGE_3", 0.783, "S2 B07"),
        new Band("NIR_BROAD", 0.842, "S2 B08"),
        new Band("NIR_NARROW", 0.865, "S2 B8A / OLI B5"),
        new Band("WATER_VAPOR", 0.945, "S2 B09"),
        new Band("CIRRUS", 1.375, "S2 B10 / OLI B9"),
        new Band("SWIR_1", 1.610, "S2 B11 / OLI B6"),
        new Band("SWIR_2", 2.190, "S2 B12 / OLI B7"),
        new Band("THERMAL_INFRARED_1", 10.9, "OLI/TIRS B10"),
        new Band("THERMAL_INFRARED_2", 12.0, "OLI/TIRS B11"),
    };

    /// <summary>Prithvi's pretraining bands, in order (backbone-facts.md §A1).</summary>
    public static IReadOnlyList<string> PrithviDefault { get; } = new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" };

    private static readonly Dictionary<string, Band> ByName = Hls.ToDictionary(b => b.Name);

    public static Band? Find(string name) => ByName.TryGetValue(name, out var band) ? band : null;

    public static IEnumerable<string> Names => Hls.Select(b => b.Name);
}
