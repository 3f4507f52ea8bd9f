using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One published SatMAE encoder configuration.</summary>
/// <param name="Name">GeoDsl's catalog name. TerraTorch registers no SatMAE encoder under these names: at 85467a9 it has
/// only <c>SatMAEModelFactory</c>/<c>SatMAEHead</c>; a later <c>satmae_register.py</c> (2e65af3) registers
/// <c>satmae_mae_vit_{base,large,huge}_patch*</c>, the plain RGB MAE with its decoder, which is neither of these.</param>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Patch">Spatial patch size.</param>
/// <param name="ImageSize">The pretraining image size (the default input size).</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record SatMaeVariant(string Name, int EmbedDim, int Depth, int Heads, int Patch, int ImageSize, string Source);

/// <summary>
/// SatMAE (sustainlab-group/SatMAE @b182634, NeurIPS 2022). Sizes from <c>models_vit_group_channels.py</c> and
/// <c>models_vit_temporal.py</c> (<c>vit_base_patch16</c> 768/12/12, <c>vit_large_patch16</c> 1024/24/16, mlp 4, qkv
/// bias, LayerNorm eps 1e-6); patch 8 at 96 px for fMoW-Sentinel and 16 at 224 px for fMoW-temporal (README commands).
/// </summary>
public static class SatMaeVariants
{
    private const string Repo = "sustainlab-group/SatMAE @b182634";

    /// <summary>
    /// Group-channel (multispectral) encoders. The README's fMoW-Sentinel runs drop bands 0, 9, 10 (B1, B9, B10) of the
    /// 13 and keep the default <c>channel_groups</c> ((0,1,2,6), (3,4,5,7), (8,9)) over B2…B12 (util/datasets.py band order).
    /// </summary>
    public static IReadOnlyList<SatMaeVariant> Multispectral { get; } = new[]
    {
        new SatMaeVariant("satmae_vit_base_multispectral", 768, 12, 12, 8, 96, Repo + " models_vit_group_channels.py; no published weights (README: TODO)"),
        new SatMaeVariant("satmae_vit_large_multispectral", 1024, 24, 16, 8, 96, Repo + " models_vit_group_channels.py; weights zenodo 7325339 pretrain-vit-large-e199.pth"),
    };

    /// <summary>The fMoW-temporal encoder: RGB, three frames, one shared patch embedding.</summary>
    public static IReadOnlyList<SatMaeVariant> Temporal { get; } = new[]
    {
        new SatMaeVariant("satmae_vit_large_temporal", 1024, 24, 16, 16, 224, Repo + " models_vit_temporal.py; weights on the README's Google Drive folder"),
    };

    /// <summary>The ten bands the multispectral weights were trained on, in the data's channel order (B2…B8, B8A, B11, B12).</summary>
    public static IReadOnlyList<string> MultispectralBands { get; } = new[]
    {
        "BLUE", "GREEN", "RED", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_BROAD", "NIR_NARROW", "SWIR_1", "SWIR_2",
    };

    /// <summary>
    /// The default channel groups by band: (B2, B3, B4, B8), (B5, B6, B7, B8A), (B11, B12). Each group has its own patch
    /// embedding and its own channel embedding; the input may list the bands in any order and carry others.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ChannelGroups { get; } = new IReadOnlyList<string>[]
    {
        new[] { "BLUE", "GREEN", "RED", "NIR_BROAD" },
        new[] { "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3", "NIR_NARROW" },
        new[] { "SWIR_1", "SWIR_2" },
    };

    /// <summary>fMoW RGB, as PIL delivers it (util/datasets.py).</summary>
    public static IReadOnlyList<string> RgbBands { get; } = new[] { "RED", "GREEN", "BLUE" };
}
