using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The DOFA encoders TerraTorch registers (terratorch/models/backbones/dofa_vit.py @24465ea, which builds torchgeo's
/// models). Widths, depths and heads are torchgeo's (microsoft/torchgeo torchgeo/models/dofa.py @eeaeaa4:
/// <c>dofa_small_patch16_224</c> 384/12/6, <c>dofa_base_patch16_224</c> 768/12/12, <c>dofa_large_patch16_224</c>
/// 1024/24/16, all patch 16, MLP 4×), the same as zhu-xlab/DOFA <c>dofa_v1.py</c> (vit_small/base/large_patch16).
/// </summary>
public static class DofaVariants
{
    private const string Tg = "torchgeo dofa.py @eeaeaa4; TerraTorch dofa_vit.py @24465ea";

    public static IReadOnlyList<DofaVariant> All { get; } = new[]
    {
        new DofaVariant("dofa_small_patch16_224", 384, 12, 6, Tg + "; no published weights"),
        new DofaVariant("dofa_base_patch16_224", 768, 12, 12, Tg + "; weights torchgeo DOFABase16_Weights.DOFA_MAE"),
        new DofaVariant("dofa_large_patch16_224", 1024, 24, 16, Tg + "; weights torchgeo DOFALarge16_Weights.DOFA_MAE"),
    };

    /// <summary>
    /// Sentinel-2 bands of DOFA's pretraining data in the order the DOFA README's example passes their wavelengths
    /// (0.665, 0.56, 0.49, 0.705, 0.74, 0.783, 0.842, 1.61, 2.19 µm). DOFA is wavelength-conditioned: any band
    /// with a known wavelength works, these are what a pretrained model has certainly seen.
    /// </summary>
    public static IReadOnlyList<string> PretrainedBands { get; } = new[]
    {
        "RED", "GREEN", "BLUE", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "SWIR_1", "SWIR_2",
    };
}
