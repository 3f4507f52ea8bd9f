using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>The numbers that fix a Swin transformer's weights: widths, depths, heads and window.</summary>
/// <param name="EmbedDim">Stage-1 width C; stage i has C·2^i channels.</param>
/// <param name="Depths">Blocks per stage (four stages).</param>
/// <param name="NumHeads">Attention heads per stage.</param>
/// <param name="WindowSize">Attention window side (7 for v1, 8 for v2).</param>
/// <param name="V2">Swin v2 blocks: cosine attention with <c>logit_scale</c>, continuous position bias (<c>cpb_mlp</c>), post-norm.</param>
public sealed record SwinShape(int EmbedDim, IReadOnlyList<int> Depths, IReadOnlyList<int> NumHeads, int WindowSize, bool V2)
{
    /// <summary>Swin-T v1: 96, 2/2/6/2, 3/6/12/24, window 7 (torchvision <c>swin_t</c>).</summary>
    public static SwinShape TinyV1 { get; } = new(96, new[] { 2, 2, 6, 2 }, new[] { 3, 6, 12, 24 }, 7, false);

    /// <summary>Swin-B v1: 128, 2/2/18/2, 4/8/16/32, window 7 (torchvision <c>swin_b</c>, Prithvi-Swin-B).</summary>
    public static SwinShape BaseV1 { get; } = new(128, new[] { 2, 2, 18, 2 }, new[] { 4, 8, 16, 32 }, 7, false);

    /// <summary>Swin-L v1 as Prithvi-Swin-L uses it: 192, 2/2/18/2, 6/12/24/48, window 7.</summary>
    public static SwinShape LargeV1 { get; } = new(192, new[] { 2, 2, 18, 2 }, new[] { 6, 12, 24, 48 }, 7, false);

    /// <summary>Swin-v2-T: 96, 2/2/6/2, 3/6/12/24, window 8 (torchvision <c>swin_v2_t</c>).</summary>
    public static SwinShape TinyV2 { get; } = new(96, new[] { 2, 2, 6, 2 }, new[] { 3, 6, 12, 24 }, 8, true);

    /// <summary>Swin-v2-B: 128, 2/2/18/2, 4/8/16/32, window 8 (torchvision <c>swin_v2_b</c>).</summary>
    public static SwinShape BaseV2 { get; } = new(128, new[] { 2, 2, 18, 2 }, new[] { 4, 8, 16, 32 }, 8, true);
}

/// <summary>A generic torchvision Swin classifier backbone.</summary>
/// <param name="Name">Catalog name (torchvision's builder name).</param>
/// <param name="Shape">Architecture.</param>
/// <param name="StochasticDepth">torchvision's <c>stochastic_depth_prob</c> default for this builder.</param>
/// <param name="DefaultImageSize">The crop the ImageNet weights were evaluated at.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record SwinVariant(string Name, SwinShape Shape, double StochasticDepth, int DefaultImageSize, string Source);

/// <summary>A SatlasPretrain Swin-v2 backbone as TerraTorch registers it.</summary>
/// <param name="Name">TerraTorch's registry name.</param>
/// <param name="Shape">Swin-v2-T or Swin-v2-B.</param>
/// <param name="StochasticDepth">torchvision's <c>stochastic_depth_prob</c> default (TerraTorch passes its kwargs through).</param>
/// <param name="PretrainedBands">The bands of the weights TerraTorch names for it, in order.</param>
/// <param name="MultiImage">A multi-image ("MI") model: several images of one place, features max-pooled over them.</param>
/// <param name="Weights">The torchgeo weights entry TerraTorch defaults to.</param>
public sealed record SatlasSwinVariant(string Name, SwinShape Shape, double StochasticDepth, IReadOnlyList<string> PretrainedBands, bool MultiImage, string Weights);

/// <summary>A Prithvi-Swin backbone (TerraTorch's MMSeg-style Swin).</summary>
/// <param name="Name">TerraTorch's registry name.</param>
/// <param name="Shape">Swin-B or Swin-L, v1, window 7.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record PrithviSwinVariant(string Name, SwinShape Shape, string Source);

/// <summary>
/// The Swin catalog entries. torchvision 0.14 <c>torchvision/models/swin_transformer.py</c> (<c>swin_t</c>, <c>swin_b</c>,
/// <c>swin_v2_t</c>, <c>swin_v2_b</c>: patch 4, the shapes above, stochastic depth 0.2 for T and 0.5 for B; the ImageNet
/// weights are evaluated at 224 (v1) and 256 (v2) crops); TerraTorch @85467a9
/// <c>terratorch/models/backbones/torchgeo_swin_satlas.py</c> (14 <c>satlas_swin_*</c> names, each defaulting to a torchgeo
/// <c>Swin_V2_*_Weights</c> entry whose <c>meta["bands"]</c> give the band order: torchgeo <c>torchgeo/models/swin.py</c>)
/// and <c>prithvi_swin.py</c> (<c>prithvi_swin_B</c>/<c>_L</c>).
/// </summary>
public static class SwinVariants
{
    private const string TorchvisionSource = "torchvision 0.14 swin_transformer.py";
    private const string TerraTorchPrithviSwin = "TerraTorch prithvi_swin.py @85467a9";

    /// <summary>ImageNet photographs: red, green, blue.</summary>
    public static IReadOnlyList<string> ImageNetRgb { get; } = new[] { "RED", "GREEN", "BLUE" };

    /// <summary>Sentinel-2 true colour as Satlas orders it: B04, B03, B02.</summary>
    public static IReadOnlyList<string> SatlasSentinel2Rgb { get; } = new[] { "RED", "GREEN", "BLUE" };

    /// <summary>Satlas' nine Sentinel-2 bands: B04, B03, B02, B05, B06, B07, B08, B11, B12.</summary>
    public static IReadOnlyList<string> SatlasSentinel2Multispectral { get; } =
        new[] { "RED", "GREEN", "BLUE", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "SWIR_1", "SWIR_2" };

    /// <summary>Satlas' Sentinel-1 order: VH first, then VV (not the usual VV, VH).</summary>
    public static IReadOnlyList<string> SatlasSentinel1 { get; } = new[] { "VH", "VV" };

    /// <summary>
    /// Landsat 8/9 B1…B11 (OLI + TIRS). TerraTorch's <c>look_up_table</c> maps these IDs as if they were Sentinel-2 bands
    /// (B05 → RED_EDGE_1, B08 → NIR_BROAD, …); here they are the Landsat bands they are.
    /// </summary>
    public static IReadOnlyList<string> SatlasLandsat { get; } =
        Bands.FindSensor("landsat_oli_tirs_toa")!.Bands;

    /// <summary>NAIP aerial imagery as Satlas uses it: R, G, B.</summary>
    public static IReadOnlyList<string> SatlasAerialRgb { get; } = new[] { "RED", "GREEN", "BLUE" };

    /// <summary>Every Swin catalog entry: torchvision, Satlas and Prithvi-Swin.</summary>
    public static IEnumerable<BackboneDescriptor> All =>
        Torchvision.Select(v => (BackboneDescriptor)new SwinBackbone(v))
            .Concat(Satlas.Select(v => new SwinSatlasBackbone(v)))
            .Concat(Prithvi.Select(v => new SwinPrithviBackbone(v)));

    public static IReadOnlyList<SwinVariant> Torchvision { get; } = new[]
    {
        new SwinVariant("swin_t", SwinShape.TinyV1, 0.2, 224, TorchvisionSource + " swin_t; ImageNet-1K 28,288,354 parameters"),
        new SwinVariant("swin_b", SwinShape.BaseV1, 0.5, 224, TorchvisionSource + " swin_b; ImageNet-1K 87,768,224 parameters"),
        new SwinVariant("swin_v2_t", SwinShape.TinyV2, 0.2, 256, TorchvisionSource + " swin_v2_t; ImageNet-1K 28,351,570 parameters"),
        new SwinVariant("swin_v2_b", SwinShape.BaseV2, 0.5, 256, TorchvisionSource + " swin_v2_b; ImageNet-1K 87,930,848 parameters"),
    };

    public static IReadOnlyList<SatlasSwinVariant> Satlas { get; } = new[]
    {
        new SatlasSwinVariant("satlas_swin_t_sentinel2_mi_ms", SwinShape.TinyV2, 0.2, SatlasSentinel2Multispectral, true, "Swin_V2_T_Weights.SENTINEL2_MI_MS_SATLAS"),
        new SatlasSwinVariant("satlas_swin_t_sentinel2_mi_rgb", SwinShape.TinyV2, 0.2, SatlasSentinel2Rgb, true, "Swin_V2_T_Weights.SENTINEL2_MI_RGB_SATLAS"),
        new SatlasSwinVariant("satlas_swin_t_sentinel2_si_ms", SwinShape.TinyV2, 0.2, SatlasSentinel2Multispectral, false, "Swin_V2_T_Weights.SENTINEL2_SI_MS_SATLAS"),
        new SatlasSwinVariant("satlas_swin_t_sentinel2_si_rgb", SwinShape.TinyV2, 0.2, SatlasSentinel2Rgb, false, "Swin_V2_T_Weights.SENTINEL2_SI_RGB_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel2_mi_ms", SwinShape.BaseV2, 0.5, SatlasSentinel2Multispectral, true, "Swin_V2_B_Weights.SENTINEL2_MI_MS_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel2_mi_rgb", SwinShape.BaseV2, 0.5, SatlasSentinel2Rgb, true, "Swin_V2_B_Weights.SENTINEL2_MI_RGB_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel2_si_ms", SwinShape.BaseV2, 0.5, SatlasSentinel2Multispectral, false, "Swin_V2_B_Weights.SENTINEL2_SI_MS_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel2_si_rgb", SwinShape.BaseV2, 0.5, SatlasSentinel2Rgb, false, "Swin_V2_B_Weights.SENTINEL2_SI_RGB_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_naip_mi_rgb", SwinShape.BaseV2, 0.5, SatlasAerialRgb, true, "Swin_V2_B_Weights.NAIP_RGB_MI_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_naip_si_rgb", SwinShape.BaseV2, 0.5, SatlasAerialRgb, false, "Swin_V2_B_Weights.NAIP_RGB_SI_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_landsat_mi_ms", SwinShape.BaseV2, 0.5, SatlasLandsat, true, "Swin_V2_B_Weights.LANDSAT_MI_SATLAS"),

        // TerraTorch defaults this name to the single-image Landsat weights (LANDSAT_SI_SATLAS); all 11 bands either way.
        new SatlasSwinVariant("satlas_swin_b_landsat_mi_rgb", SwinShape.BaseV2, 0.5, SatlasLandsat, true, "Swin_V2_B_Weights.LANDSAT_SI_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel1_mi", SwinShape.BaseV2, 0.5, SatlasSentinel1, true, "Swin_V2_B_Weights.SENTINEL1_MI_SATLAS"),
        new SatlasSwinVariant("satlas_swin_b_sentinel1_si", SwinShape.BaseV2, 0.5, SatlasSentinel1, false, "Swin_V2_B_Weights.SENTINEL1_SI_SATLAS"),
    };

    public static IReadOnlyList<PrithviSwinVariant> Prithvi { get; } = new[]
    {
        new PrithviSwinVariant("prithvi_swin_B", SwinShape.BaseV1, TerraTorchPrithviSwin + "; granite-geospatial-biomass"),
        new PrithviSwinVariant("prithvi_swin_L", SwinShape.LargeV1, TerraTorchPrithviSwin + "; granite-geospatial-land-surface-temperature"),
    };
}
