using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog;

/// <summary>A band under its canonical name, its central wavelength, and the names other tools give it.</summary>
/// <param name="Name">Canonical name, TerraTorch's <c>HLSBands</c> spelling where it has one (BLUE, NIR_NARROW, …).</param>
/// <param name="WavelengthMicrometres">Central wavelength in µm; for SAR, the value DOFA's wavelength table uses.</param>
/// <param name="Description">Which sensor bands it is.</param>
/// <param name="Aliases">Other accepted spellings: Sentinel-2 band IDs (B04) and Clay's names (red, nir08).</param>
public sealed record Band(string Name, double WavelengthMicrometres, string Description, params string[] Aliases);

/// <summary>A sensor's (or a pretrained model's) bands, in the order its data come in.</summary>
public sealed record Sensor(string Name, IReadOnlyList<string> Bands, string Source);

/// <summary>
/// Every band GeoDsl knows. Optical bands use TerraTorch's <c>HLSBands</c> names (terratorch/datasets/utils.py) with
/// Sentinel-2 MSI central wavelengths (ESA Sentinel-2 User Handbook, "MSI spectral bands"); HLS harmonises Landsat OLI
/// to these. Landsat-only bands (panchromatic, thermal gains) and SAR/DEM layers are added under plain names.
/// Inputs may use an alias (<c>B04</c>, <c>red</c>); specs always hold the canonical name.
/// </summary>
public static class Bands
{
    public static IReadOnlyList<Band> All { get; } = new[]
    {
        new Band("COASTAL_AEROSOL", 0.443, "S2 B01, OLI B1", "B01", "coastal"),
        new Band("BLUE", 0.490, "S2 B02, OLI B2, TM/ETM+ B1", "B02", "blue"),
        new Band("GREEN", 0.560, "S2 B03, OLI B3, TM/ETM+ B2", "B03", "green"),
        new Band("RED", 0.665, "S2 B04, OLI B4, TM/ETM+ B3", "B04", "red"),
        new Band("RED_EDGE_1", 0.705, "S2 B05", "B05", "rededge1"),
        new Band("RED_EDGE_2", 0.740, "S2 B06", "B06", "rededge2"),
        new Band("RED_EDGE_3", 0.783, "S2 B07", "B07", "rededge3"),
        new Band("NIR_BROAD", 0.842, "S2 B08, TM/ETM+ B4", "B08", "nir"),
        new Band("NIR_NARROW", 0.865, "S2 B8A, OLI B5", "B8A", "nir08"),
        new Band("WATER_VAPOR", 0.945, "S2 B09", "B09"),
        new Band("CIRRUS", 1.375, "S2 B10, OLI B9", "B10", "cirrus"),
        new Band("SWIR_1", 1.610, "S2 B11, OLI B6, TM/ETM+ B5", "B11", "swir16"),
        new Band("SWIR_2", 2.190, "S2 B12, OLI B7, TM/ETM+ B7", "B12", "swir22"),
        new Band("PANCHROMATIC", 0.590, "ETM+ B8, OLI B8"),
        new Band("THERMAL_INFRARED", 11.45, "TM B6 (10.4-12.5 µm)"),
        new Band("THERMAL_INFRARED_LOW_GAIN", 11.45, "ETM+ B6_VCID_1"),
        new Band("THERMAL_INFRARED_HIGH_GAIN", 11.45, "ETM+ B6_VCID_2"),
        new Band("THERMAL_INFRARED_1", 10.9, "TIRS B10"),
        new Band("THERMAL_INFRARED_2", 12.0, "TIRS B11"),
        new Band("VV", 5.405, "Sentinel-1 C-band, vertical transmit, vertical receive (DOFA's wavelength value)", "vv"),
        new Band("VH", 5.405, "Sentinel-1 C-band, vertical transmit, horizontal receive (DOFA's wavelength value)", "vh"),
        new Band("ELEVATION", 0, "Digital elevation model", "DEM", "dem"),
    };

    private static readonly Dictionary<string, Band> ByName = All
        .SelectMany(b => b.Aliases.Prepend(b.Name).Select(n => (Name: n, Band: b)))
        .ToDictionary(p => p.Name, p => p.Band, StringComparer.Ordinal);

    /// <summary>The band called <paramref name="name"/> (canonical or alias), or null.</summary>
    public static Band? Find(string name) => ByName.TryGetValue(name, out var band) ? band : null;

    /// <summary>Every accepted spelling, for "did you mean".</summary>
    public static IEnumerable<string> Spellings => ByName.Keys;

    /// <summary>The canonical names.</summary>
    public static IEnumerable<string> Names => All.Select(b => b.Name);

    /// <summary>Prithvi's pretraining bands, in order (backbone-facts.md §A1).</summary>
    public static IReadOnlyList<string> PrithviDefault { get; } = new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" };

    /// <summary>Sensors whose band order pretrained models use (backbone-facts.md §A2, §A3).</summary>
    public static IReadOnlyList<Sensor> Sensors { get; } = new[]
    {
        new Sensor("hls", PrithviDefault, "HLS L30/S30 as Prithvi uses them"),
        new Sensor("s2_l1c", new[] { "COASTAL_AEROSOL", "BLUE", "GREEN", "RED", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "NIR_NARROW", "WATER_VAPOR", "CIRRUS", "SWIR_1", "SWIR_2" }, "Sentinel-2 L1C, B01…B12 with B8A and B10"),
        new Sensor("s2_l2a", new[] { "COASTAL_AEROSOL", "BLUE", "GREEN", "RED", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "NIR_NARROW", "WATER_VAPOR", "SWIR_1", "SWIR_2" }, "Sentinel-2 L2A, as L1C without B10"),
        new Sensor("s2_rgb", new[] { "RED", "GREEN", "BLUE" }, "Sentinel-2 true colour"),
        new Sensor("s1", new[] { "VV", "VH" }, "Sentinel-1 GRD/RTC"),
        new Sensor("dem", new[] { "ELEVATION" }, "Digital elevation model"),
        new Sensor("landsat_tm_toa", new[] { "BLUE", "GREEN", "RED", "NIR_BROAD", "SWIR_1", "THERMAL_INFRARED", "SWIR_2" }, "Landsat 4-5 TM TOA, B1-B7 (SSL4EO-L)"),
        new Sensor("landsat_etm_toa", new[] { "BLUE", "GREEN", "RED", "NIR_BROAD", "SWIR_1", "THERMAL_INFRARED_LOW_GAIN", "THERMAL_INFRARED_HIGH_GAIN", "SWIR_2", "PANCHROMATIC" }, "Landsat 7 ETM+ TOA, B1-B5, B6_VCID_1/2, B7, B8 (SSL4EO-L)"),
        new Sensor("landsat_etm_sr", new[] { "BLUE", "GREEN", "RED", "NIR_BROAD", "SWIR_1", "SWIR_2" }, "Landsat 7 ETM+ SR, SR_B1-B5, SR_B7 (SSL4EO-L)"),
        new Sensor("landsat_oli_tirs_toa", new[] { "COASTAL_AEROSOL", "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2", "PANCHROMATIC", "CIRRUS", "THERMAL_INFRARED_1", "THERMAL_INFRARED_2" }, "Landsat 8-9 OLI/TIRS TOA, B1-B11 (SSL4EO-L)"),
        new Sensor("landsat_oli_sr", new[] { "COASTAL_AEROSOL", "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" }, "Landsat 8-9 OLI SR, SR_B1-B7 (SSL4EO-L)"),
    };

    public static Sensor? FindSensor(string name) => Sensors.FirstOrDefault(s => s.Name == name);
}
