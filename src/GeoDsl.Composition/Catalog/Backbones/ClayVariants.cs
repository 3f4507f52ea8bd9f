using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The Clay encoders. v1: TerraTorch's <c>clay_v1_base</c> (terratorch/models/backbones/clay_v1/embedder.py @07d5f98:
/// <c>EmbeddingEncoder(img_size=256, patch_size=8, dim=768, depth=12, heads=12, dim_head=64, mlp_ratio=4.0)</c>), the
/// encoder of Clay's <c>clay_mae_base</c>. v1.5: Clay's <c>clay_mae_large</c> encoder (Clay-foundation/model
/// claymodel/model.py @00e6f09: dim 1024, depth 24, heads 16, dim_head 64, mlp_ratio 4; docs/release-notes/specification.md:
/// patch 8, input 256), which TerraTorch builds through its <c>Clay1_5ModelFactory</c> rather than a registered backbone
/// name, so GeoDsl names it <c>clay_v1_5_large</c>.
/// </summary>
public static class ClayVariants
{
    public static IReadOnlyList<ClayVariant> All { get; } = new[]
    {
        new ClayVariant("clay_v1_base", 768, 12, 12, 64, FixedGrid: true,
            "TerraTorch clay_v1/embedder.py; HF made-with-clay/Clay clay-v1-base.ckpt"),
        new ClayVariant("clay_v1_5_large", 1024, 24, 16, 64, FixedGrid: false,
            "Clay claymodel/model.py clay_mae_large; HF made-with-clay/Clay v1.5/clay-v1.5.ckpt"),
    };

    /// <summary>
    /// Clay's Sentinel-2 L2A bands in its own order (configs/metadata.yaml <c>sentinel-2-l2a.band_order</c>: blue, green,
    /// red, rededge1-3, nir, nir08, swir16, swir22). Clay is wavelength-conditioned and was also trained on Landsat,
    /// NAIP, LINZ, Sentinel-1 and MODIS; any band with a wavelength works.
    /// </summary>
    public static IReadOnlyList<string> PretrainedBands { get; } = new[]
    {
        "BLUE", "GREEN", "RED", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "NIR_NARROW", "SWIR_1", "SWIR_2",
    };

    /// <summary>
    /// The wavelengths (µm) Clay was trained with where they differ from <see cref="Bands"/>: its Sentinel-2 L2A values and
    /// Sentinel-1 VV 3.5 / VH 4.0 (configs/metadata.yaml @0fa6dc7, not DOFA's 5.405 for both). Other bands use
    /// <see cref="Bands"/>; a band without a wavelength there (ELEVATION) has none.
    /// </summary>
    private static readonly Dictionary<string, double> Trained = new()
    {
        ["BLUE"] = 0.493,
        ["GREEN"] = 0.56,
        ["RED"] = 0.665,
        ["RED_EDGE_1"] = 0.704,
        ["RED_EDGE_2"] = 0.74,
        ["RED_EDGE_3"] = 0.783,
        ["NIR_BROAD"] = 0.842,
        ["NIR_NARROW"] = 0.865,
        ["SWIR_1"] = 1.61,
        ["SWIR_2"] = 2.19,
        ["VV"] = 3.5,
        ["VH"] = 4.0,
    };

    /// <summary>The wavelength Clay uses for a canonical band, or null.</summary>
    public static double? Wavelength(string band) => Trained.TryGetValue(band, out double trained) ? trained : DofaWavelengths.Dofa(band);
}
