using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One Scale-MAE encoder size.</summary>
/// <param name="Name">GeoDsl's catalog name: TerraTorch's <c>scalemae.py</c> registers these as <c>vit_base_patch16</c>,
/// <c>vit_large_patch16</c> and <c>vit_huge_patch14</c> in its own <c>scalemae_model_registry</c> (not in
/// BACKBONE_REGISTRY); the <c>scalemae_</c> prefix keeps them apart from the generic ViTs.</param>
/// <param name="RegistryName">The name in TerraTorch's Scale-MAE registry.</param>
public sealed record ScaleMaeVariant(string Name, string RegistryName, int EmbedDim, int Depth, int Heads, int Patch, string Source);

/// <summary>
/// Scale-MAE (bair-climate-initiative/scale-mae <c>scalemae/models_vit.py</c> @388f326; TerraTorch
/// <c>terratorch/models/backbones/scalemae.py</c> @24465ea; torchgeo <c>torchgeo/models/scale_mae.py</c> @0829bac):
/// mlp 4, qkv bias, LayerNorm eps 1e-6, RGB input at 224 px.
/// </summary>
public static class ScaleMaeVariants
{
    private const string Tt = "TerraTorch scalemae.py @24465ea";

    public static IReadOnlyList<ScaleMaeVariant> All { get; } = new[]
    {
        new ScaleMaeVariant("scalemae_vit_base_patch16", "vit_base_patch16", 768, 12, 12, 16, Tt + "; no published weights"),
        new ScaleMaeVariant("scalemae_vit_large_patch16", "vit_large_patch16", 1024, 24, 16, 16,
            Tt + "; weights: Scale-MAE README (ViT-Large, 800 epochs on fMoW RGB), torchgeo ScaleMAELarge16_Weights.FMOW_RGB"),
        new ScaleMaeVariant("scalemae_vit_huge_patch14", "vit_huge_patch14", 1280, 32, 16, 14, Tt + "; no published weights"),
    };

    /// <summary>TerraTorch's <c>PRETRAINED_BANDS</c> for Scale-MAE: RED, GREEN, BLUE.</summary>
    public static IReadOnlyList<string> PretrainedBands { get; } = new[] { "RED", "GREEN", "BLUE" };

    /// <summary>
    /// Rows of the (unused) <c>pos_embed</c> TerraTorch's model carries: timm's VisionTransformer is built with its default
    /// img_size 224 and patch 16 (the subclass passes neither on), so 1 + 14² = 197 whatever the Scale-MAE patch size.
    /// </summary>
    public const int UnusedPosEmbedTokens = 1 + (14 * 14);
}
