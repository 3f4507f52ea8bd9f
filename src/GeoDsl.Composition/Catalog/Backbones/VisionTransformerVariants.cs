using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One torchvision ViT configuration.</summary>
/// <param name="Name">GeoDsl's name, timm-style (<c>vit_base_patch16</c>).</param>
/// <param name="TorchvisionName">torchvision's builder (<c>vit_b_16</c>), registered as a second name; null where torchvision has none.</param>
/// <param name="HiddenDim">Token width D (torchvision <c>hidden_dim</c>).</param>
/// <param name="NumLayers">Encoder blocks (<c>num_layers</c>).</param>
/// <param name="NumHeads">Attention heads (<c>num_heads</c>).</param>
/// <param name="MlpDim">MLP hidden width (<c>mlp_dim</c>).</param>
/// <param name="PatchSize">Patch size (<c>patch_size</c>).</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record VisionTransformerVariant(string Name, string? TorchvisionName, int HiddenDim, int NumLayers, int NumHeads, int MlpDim, int PatchSize, string Source)
{
    /// <summary>Every catalog name of this configuration.</summary>
    public IEnumerable<string> Names => TorchvisionName is null ? new[] { Name } : new[] { Name, TorchvisionName };
}

/// <summary>
/// torchvision's Vision Transformers (torchvision 0.14 <c>torchvision/models/vision_transformer.py</c>, builders
/// <c>vit_b_16</c>, <c>vit_b_32</c>, <c>vit_l_16</c>, <c>vit_l_32</c>, <c>vit_h_14</c>; backbone-facts.md §B). ViT-S/16 has no
/// torchvision builder: it is torchvision's <c>VisionTransformer</c> class with timm's ViT-S sizes (384 wide, 12 blocks,
/// 6 heads, MLP 1536). Each is registered under its timm-style name and, where torchvision has one, its builder name.
/// </summary>
public static class VisionTransformerVariants
{
    private const string Tv = "torchvision 0.14 vision_transformer.py";

    public static IReadOnlyList<VisionTransformerVariant> All { get; } = new[]
    {
        new VisionTransformerVariant("vit_small_patch16", null, 384, 12, 6, 1536, 16, "timm ViT-S/16 sizes in " + Tv + "'s VisionTransformer; no torchvision weights"),
        new VisionTransformerVariant("vit_base_patch16", "vit_b_16", 768, 12, 12, 3072, 16, Tv + " vit_b_16"),
        new VisionTransformerVariant("vit_base_patch32", "vit_b_32", 768, 12, 12, 3072, 32, Tv + " vit_b_32"),
        new VisionTransformerVariant("vit_large_patch16", "vit_l_16", 1024, 24, 16, 4096, 16, Tv + " vit_l_16"),
        new VisionTransformerVariant("vit_large_patch32", "vit_l_32", 1024, 24, 16, 4096, 32, Tv + " vit_l_32"),
        new VisionTransformerVariant("vit_huge_patch14", "vit_h_14", 1280, 32, 16, 5120, 14, Tv + " vit_h_14 (DEFAULT weights at 518 px: set image_size = 518)"),
    };

    /// <summary>One catalog entry per name (both spellings share the descriptor type and the variant).</summary>
    public static IEnumerable<BackboneDescriptor> Backbones =>
        All.SelectMany(v => v.Names.Select(name => (BackboneDescriptor)new VisionTransformerBackbone(v, name)));
}
