using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One SSL4EO ViT-S/16 weight set as TerraTorch registers it.</summary>
/// <param name="Name">TerraTorch's BACKBONE_REGISTRY name (<c>terratorch/models/backbones/torchgeo_vit.py</c> @dceebf0).</param>
/// <param name="Sensor">The <see cref="Bands.Sensors"/> entry whose bands the weights were trained on (torchgeo meta <c>bands</c>).</param>
/// <param name="Weights">torchgeo's <c>ViTSmall16_Weights</c> member.</param>
public sealed record Ssl4eoVariant(string Name, string Sensor, string Weights);

/// <summary>
/// The SSL4EO-S12 and SSL4EO-L ViT-S/16 encoders: timm <c>vit_small_patch16_224</c> (384/12/6, mlp 4, qkv bias,
/// LayerNorm eps 1e-6, learned position embedding, class token) with the sensor's bands as input channels. Names and
/// weights: TerraTorch <c>torchgeo_vit.py</c> @dceebf0 (9 SSL4EO-L, 2 SSL4EO-S12; torchgeo's OLI/TIRS TOA MoCo weights
/// are not registered there); band lists: torchgeo <c>torchgeo/models/resnet.py</c> (<c>_landsat_*_bands</c>,
/// <c>_sentinel2_toa_bands</c>), meta <c>in_chans</c> in <c>torchgeo/models/vit.py</c> @0402db0.
/// </summary>
public static class Ssl4eoVariants
{
    public const int EmbedDim = 384;
    public const int Depth = 12;
    public const int Heads = 6;
    public const int Patch = 16;
    public const int ImageSize = 224;

    public static IReadOnlyList<Ssl4eoVariant> All { get; } = new[]
    {
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_tm_toa_moco", "landsat_tm_toa", "LANDSAT_TM_TOA_MOCO"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_tm_toa_simclr", "landsat_tm_toa", "LANDSAT_TM_TOA_SIMCLR"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_etm_toa_moco", "landsat_etm_toa", "LANDSAT_ETM_TOA_MOCO"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_etm_toa_simclr", "landsat_etm_toa", "LANDSAT_ETM_TOA_SIMCLR"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_etm_sr_moco", "landsat_etm_sr", "LANDSAT_ETM_SR_MOCO"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_etm_sr_simclr", "landsat_etm_sr", "LANDSAT_ETM_SR_SIMCLR"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_oli_tirs_toa_simclr", "landsat_oli_tirs_toa", "LANDSAT_OLI_TIRS_TOA_SIMCLR"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_oli_sr_moco", "landsat_oli_sr", "LANDSAT_OLI_SR_MOCO"),
        new Ssl4eoVariant("ssl4eol_vit_small_patch16_224_landsat_oli_sr_simclr", "landsat_oli_sr", "LANDSAT_OLI_SR_SIMCLR"),
        new Ssl4eoVariant("ssl4eos12_vit_small_patch16_224_sentinel2_all_dino", "s2_l1c", "SENTINEL2_ALL_DINO"),
        new Ssl4eoVariant("ssl4eos12_vit_small_patch16_224_sentinel2_all_moco", "s2_l1c", "SENTINEL2_ALL_MOCO"),
    };
}
