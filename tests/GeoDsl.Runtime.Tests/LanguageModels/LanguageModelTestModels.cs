using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;
using TorchSharp;
using static TorchSharp.torch;
using Catalog = GeoDsl.Composition.Catalog.LanguageModels.LanguageModels;
using Towers = GeoDsl.Composition.Catalog.VisionTowers.VisionTowers;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>Tiny configurations derived from the catalog entries (so they keep their flags: biases, tying, rope θ).</summary>
internal static class LanguageModelTestModels
{
    /// <summary>Qwen2.5-0.5B's flags (tied, q/k/v bias, θ = 1e6) at 32 wide, 2 layers, 4 query heads over 2 KV heads.</summary>
    public static LanguageModelConfig TinyQwen => Catalog.Find("qwen2_5_0_5b")! with
    {
        Name = "qwen_tiny", Hidden = 32, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 8, Intermediate = 48, Vocab = 61,
    };

    /// <summary>Qwen2.5-7B's flags (untied) at the same tiny size.</summary>
    public static LanguageModelConfig TinyUntiedQwen => Catalog.Find("qwen2_5_7b")! with
    {
        Name = "qwen_tiny_untied", Hidden = 32, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 8, Intermediate = 48, Vocab = 61,
    };

    /// <summary>InternViT-300M's flags (LayerNorm, qkv bias, layer scale) at 32 wide, 2 blocks, 56 px tiles of 14 px patches (4×4 grid).</summary>
    public static VisionTowerConfig TinyInternViT => Towers.Find("intern_vit_300m_448px_v2_5")! with
    {
        Name = "intern_vit_tiny", Width = 32, Layers = 2, Heads = 4, MlpHidden = 64, ImageSize = 56,
    };

    /// <summary>InternViT-6B's flags (RMSNorm, q/k norm, no qkv bias) at the same tiny size.</summary>
    public static VisionTowerConfig TinyInternViT6B => Towers.Find("intern_vit_6b_448px_v1_5")! with
    {
        Name = "intern_vit_6b_tiny", Width = 32, Layers = 2, Heads = 4, MlpHidden = 64, ImageSize = 56,
    };

    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());

    public static Tensor Tokens(long batch, long length, long vocab, int seed) =>
        torch.randint(0, vocab, new[] { batch, length }, dtype: ScalarType.Int64, generator: new Generator((ulong)seed));
}
