using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.VisionTowers;

public enum TowerNorm
{
    LayerNorm,
    RmsNorm,
}

public enum TowerMlp
{
    /// <summary>fc1 → GELU → fc2, biases on both.</summary>
    Gelu,

    /// <summary>gate and up → SiLU·up → down, biases on all three (Qwen2.5-VL).</summary>
    SwiGlu,
}

/// <summary>How the tower's tokens are reduced before the projector, when the tower prescribes it.</summary>
public enum NativeMerge
{
    /// <summary>InternVL: pixel shuffle by a factor f (cls dropped, f×f neighbours concatenated: tokens ÷ f², width × f²).</summary>
    PixelShuffle,

    /// <summary>Qwen2-VL / Qwen2.5-VL: the PatchMerger concatenates 2×2 neighbours after its norm.</summary>
    PatchMerger,

    /// <summary>Gemma 3: average pooling of the patch grid (k×k), width unchanged.</summary>
    AveragePool,

    /// <summary>LLaVA-NeXT (Granite Vision): every patch token, features of several layers concatenated.</summary>
    None,
}

/// <summary>
/// A ViT used as a VLM's vision tower, as data from its config. Counted like its Hugging Face module: patch embedding
/// (a Conv2d, or Conv3d over <see cref="TemporalPatch"/> frames), optional class token and learned positions, blocks of
/// norm → qkv → attention → proj (→ layer scale) and norm → MLP (→ layer scale), optional final norm.
/// </summary>
public sealed record VisionTowerConfig(
    string Name,
    string HuggingFaceId,
    int Width,
    int Layers,
    int Heads,
    int MlpHidden,
    TowerMlp Mlp,
    TowerNorm Norm,
    bool QkvBias,
    bool QkNorm,
    bool LayerScale,
    int PatchSize,
    int TemporalPatch,
    bool PatchBias,
    int ImageSize,
    bool ClassToken,
    bool LearnedPositions,
    bool FinalNorm,
    NativeMerge Merge,
    int DefaultMergeFactor,
    string Source)
{
    public int Grid(int imageSize) => imageSize / PatchSize;

    /// <summary>Tokens the tower gives for one square tile, class token included.</summary>
    public int Tokens(int imageSize) => (Grid(imageSize) * Grid(imageSize)) + (ClassToken ? 1 : 0);

    /// <summary>Parameters of one norm of width <paramref name="width"/> (LayerNorm has a bias).</summary>
    public long NormParameters(long width) => Norm == TowerNorm.LayerNorm ? 2 * width : width;

    /// <summary>Closed-form parameter count; learned positions are sized for <see cref="ImageSize"/>.</summary>
    public long Parameters()
    {
        long d = Width;
        long patch = (3L * TemporalPatch * PatchSize * PatchSize * d) + (PatchBias ? d : 0);
        long embeddings = patch + (ClassToken ? d : 0) + (LearnedPositions ? Tokens(ImageSize) * d : 0);
        long attention = (3 * d * d) + (QkvBias ? 3 * d : 0) + (QkNorm ? 2 * NormParameters(d) : 0) + (d * d) + d;
        long mlp = Mlp == TowerMlp.Gelu
            ? (2 * d * MlpHidden) + MlpHidden + d
            : (3 * d * MlpHidden) + (2L * MlpHidden) + d;
        long block = (2 * NormParameters(d)) + attention + mlp + (LayerScale ? 2 * d : 0);
        return embeddings + (Layers * block) + (FinalNorm ? NormParameters(d) : 0);
    }

    /// <summary>The linear layers of one block by timm's names, as (name, in, out): what LoRA adapts and QLoRA quantises.</summary>
    public IReadOnlyList<(string Module, long In, long Out)> Linears => Mlp == TowerMlp.Gelu
        ? new[] { ("qkv", (long)Width, 3L * Width), ("proj", (long)Width, (long)Width), ("fc1", (long)Width, (long)MlpHidden), ("fc2", (long)MlpHidden, (long)Width) }
        : new[] { ("qkv", (long)Width, 3L * Width), ("proj", (long)Width, (long)Width), ("fc1", (long)Width, 2L * MlpHidden), ("fc2", (long)MlpHidden, (long)Width) };
}

/// <summary>
/// The vision towers of published VLMs (backbone-facts.md §C2, §C5, §C6, §C7). Any image backbone of the component
/// catalog can stand in their place; these are the ones VLM checkpoints ship with.
/// </summary>
public static class VisionTowers
{
    public static IReadOnlyList<VisionTowerConfig> All { get; } = new[]
    {
        // InternViT-300M-448px (InternVL2 1B–8B) and -V2_5 (InternVL2.5, EarthMind): same shape; §C2: 1024 wide, 24 blocks,
        // 16 heads, MLP 4096 GELU, LayerNorm, qkv bias, layer scale, patch 14 at 448 px, class token, learned positions.
        new VisionTowerConfig("intern_vit_300m_448px", "OpenGVLab/InternViT-300M-448px", 1024, 24, 16, 4096, TowerMlp.Gelu, TowerNorm.LayerNorm,
            QkvBias: true, QkNorm: false, LayerScale: true, 14, 1, PatchBias: true, 448, ClassToken: true, LearnedPositions: true, FinalNorm: false,
            NativeMerge.PixelShuffle, 2, "backbone-facts §C2 (InternVL modeling_intern_vit.py; HF card 304 M)"),
        new VisionTowerConfig("intern_vit_300m_448px_v2_5", "OpenGVLab/InternViT-300M-448px-V2_5", 1024, 24, 16, 4096, TowerMlp.Gelu, TowerNorm.LayerNorm,
            QkvBias: true, QkNorm: false, LayerScale: true, 14, 1, PatchBias: true, 448, ClassToken: true, LearnedPositions: true, FinalNorm: false,
            NativeMerge.PixelShuffle, 2, "backbone-facts §C2 (same shape as InternViT-300M-448px)"),

        // InternViT-6B-448px-V1-5 (InternVL2 26B–76B): 3200 wide, 45 blocks (48 trained, last 3 dropped), 25 heads, MLP 12800,
        // RMSNorm, QK-norm, no qkv bias; §C2, HF card 5,540 M.
        new VisionTowerConfig("intern_vit_6b_448px_v1_5", "OpenGVLab/InternViT-6B-448px-V1-5", 3200, 45, 25, 12800, TowerMlp.Gelu, TowerNorm.RmsNorm,
            QkvBias: false, QkNorm: true, LayerScale: true, 14, 1, PatchBias: true, 448, ClassToken: true, LearnedPositions: true, FinalNorm: false,
            NativeMerge.PixelShuffle, 2, "backbone-facts §C2 (HF card 5,540 M; 45 of 48 blocks)"),

        // SigLIP so400m-patch14: 1152 wide, 27 blocks, 16 heads, MLP 4304 (gelu_tanh), LayerNorm, post-layernorm, no class token.
        // Gemma 3 runs it at 896 px (64×64 patches, pooled 4×4 to 256 tokens); Granite Vision at 384 px (27×27 = 729 tokens).
        new VisionTowerConfig("siglip_so400m_896", "google/gemma-3-4b-it (vision_tower)", 1152, 27, 16, 4304, TowerMlp.Gelu, TowerNorm.LayerNorm,
            QkvBias: true, QkNorm: false, LayerScale: false, 14, 1, PatchBias: true, 896, ClassToken: false, LearnedPositions: true, FinalNorm: true,
            NativeMerge.AveragePool, 4, "backbone-facts §C6 (transformers convert_gemma3_weights_orbax_to_hf.py; ≈417 M)"),
        new VisionTowerConfig("siglip_so400m_384", "google/siglip-so400m-patch14-384", 1152, 27, 16, 4304, TowerMlp.Gelu, TowerNorm.LayerNorm,
            QkvBias: true, QkNorm: false, LayerScale: false, 14, 1, PatchBias: true, 384, ClassToken: false, LearnedPositions: true, FinalNorm: true,
            NativeMerge.None, 1, "backbone-facts §C7 (Granite Vision: SigLIP so400m-patch14-384, 27 layers, 1152 wide)"),

        // Qwen2-VL-7B / Qwen2.5-VL-7B vision towers (the PatchMerger is the projector here): Conv3d(3, 1280, (2, 14, 14)) without
        // bias, 32 blocks, 16 heads, rotary positions; Qwen2-VL: LayerNorm + QuickGELU MLP 5120; Qwen2.5-VL: RMSNorm + SwiGLU 3420,
        // window attention except blocks 7/15/23/31. §C5.
        new VisionTowerConfig("qwen2_vl_vit", "Qwen/Qwen2-VL-7B-Instruct (visual)", 1280, 32, 16, 5120, TowerMlp.Gelu, TowerNorm.LayerNorm,
            QkvBias: true, QkNorm: false, LayerScale: false, 14, 2, PatchBias: false, 448, ClassToken: false, LearnedPositions: false, FinalNorm: false,
            NativeMerge.PatchMerger, 2, "backbone-facts §C5 (configuration_qwen2_vl.py; 675.8 M with merger)"),
        new VisionTowerConfig("qwen2_5_vl_vit", "Qwen/Qwen2.5-VL-7B-Instruct (visual)", 1280, 32, 16, 3420, TowerMlp.SwiGlu, TowerNorm.RmsNorm,
            QkvBias: true, QkNorm: false, LayerScale: false, 14, 2, PatchBias: false, 448, ClassToken: false, LearnedPositions: false, FinalNorm: false,
            NativeMerge.PatchMerger, 2, "backbone-facts §C5 (configuration_qwen2_5_vl.py, module tree; 676.6 M with merger)"),
    };

    public static VisionTowerConfig? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    public static IEnumerable<string> Names => All.Select(t => t.Name);
}
