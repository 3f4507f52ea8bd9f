using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Composition.Catalog.LanguageModels;

/// <summary>
/// The decoder-only language models a <c>vlm</c> model can use, as their configs give them. Sources are
/// /work/shared/reference/backbone-facts.md §C (C3 InternVL2 language models, C4 Qwen2.5, C6 Gemma 3, C7 Granite) unless
/// a comment says otherwise; (U) marks figures that reference itself marks unverified.
/// </summary>
public static class LanguageModels
{
    private const string Qwen25 = "backbone-facts §C4 (Qwen2.5 HF cards and config.json)";
    private const string InternVl2 = "backbone-facts §C3 (InternVL2 README / HF cards, LLM config)";
    private const string Gemma3 = "backbone-facts §C6 (transformers configuration_gemma3.py, Gemma 3 technical report); 262,208 embedding rows of the HF checkpoint";

    public static IReadOnlyList<LanguageModelConfig> All { get; } = new[]
    {
        // Qwen2.5: RoPE θ = 1e6, SwiGLU, RMSNorm, biases on q/k/v; 0.5B–3B tie their embeddings, 7B does not.
        new LanguageModelConfig("qwen2_5_0_5b", "Qwen/Qwen2.5-0.5B", 896, 24, 14, 2, 64, 4864, 151_936, true, true, 32_768, Qwen25) { RopeTheta = 1e6 },
        new LanguageModelConfig("qwen2_5_1_5b", "Qwen/Qwen2.5-1.5B", 1536, 28, 12, 2, 128, 8960, 151_936, true, true, 32_768, Qwen25) { RopeTheta = 1e6 },
        new LanguageModelConfig("qwen2_5_3b", "Qwen/Qwen2.5-3B", 2048, 36, 16, 2, 128, 11008, 151_936, true, true, 32_768, Qwen25) { RopeTheta = 1e6 },
        new LanguageModelConfig("qwen2_5_7b", "Qwen/Qwen2.5-7B", 3584, 28, 28, 4, 128, 18944, 152_064, false, true, 131_072, Qwen25) { RopeTheta = 1e6 },

        // InternVL2-1B's language model: Qwen2-0.5B-Instruct, the same shape as Qwen2.5-0.5B (§C3 row 1).
        new LanguageModelConfig("qwen2_0_5b", "Qwen/Qwen2-0.5B-Instruct", 896, 24, 14, 2, 64, 4864, 151_936, true, true, 32_768, InternVl2),

        // InternLM2 / 2.5: fused wqkv and wo without biases, SwiGLU w1/w3/w2, untied output (§C3 rows 2B, 8B, 26B).
        new LanguageModelConfig("internlm2_chat_1_8b", "internlm/internlm2-chat-1_8b", 2048, 24, 16, 8, 128, 8192, 92_544, false, false, 32_768, InternVl2),
        new LanguageModelConfig("internlm2_5_7b", "internlm/internlm2_5-7b-chat", 4096, 32, 32, 8, 128, 14336, 92_544, false, false, 32_768, InternVl2),
        new LanguageModelConfig("internlm2_chat_20b", "internlm/internlm2-chat-20b", 6144, 48, 48, 8, 128, 16384, 92_544, false, false, 32_768, InternVl2),

        // Phi-3-mini-128k (InternVL2-4B): full multi-head attention, head 3072/32 = 96, fused qkv and gate_up, no biases.
        new LanguageModelConfig("phi_3_mini_128k", "microsoft/Phi-3-mini-128k-instruct", 3072, 32, 32, 32, 96, 8192, 32_064, false, false, 131_072, InternVl2),

        // Nous-Hermes-2-Yi-34B (InternVL2-40B) and Hermes-2-Theta-Llama-3-70B (InternVL2-Llama3-76B): Llama blocks.
        new LanguageModelConfig("yi_34b", "NousResearch/Nous-Hermes-2-Yi-34B", 7168, 60, 56, 8, 128, 20480, 64_000, false, false, 4096, InternVl2),
        new LanguageModelConfig("llama_3_70b", "NousResearch/Hermes-2-Theta-Llama-3-70B", 8192, 80, 64, 8, 128, 28672, 128_256, false, false, 8192, InternVl2),

        // Gemma 3 text towers of the multimodal 4B/12B/27B: 4 norms per block and q/k norms, tied embeddings; 27B uses head 128.
        new LanguageModelConfig("gemma_3_4b", "google/gemma-3-4b-it", 2560, 34, 8, 4, 256, 10240, 262_208, true, false, 131_072, Gemma3, DecoderBlockStyle.SandwichNormQkNorm),
        new LanguageModelConfig("gemma_3_12b", "google/gemma-3-12b-it", 3840, 48, 16, 8, 256, 15360, 262_208, true, false, 131_072, Gemma3, DecoderBlockStyle.SandwichNormQkNorm),
        new LanguageModelConfig("gemma_3_27b", "google/gemma-3-27b-it", 5376, 62, 32, 16, 128, 21504, 262_208, true, false, 131_072, Gemma3, DecoderBlockStyle.SandwichNormQkNorm),

        // Granite Vision 3.x's language model: Granite-3.1-2B, 40 layers, 2048 wide, GQA 32/8 (§C7); MLP 8192, head 64, vocab 49,155 and
        // tied embeddings are (U), recalled from the HF config.
        new LanguageModelConfig("granite_3_1_2b", "ibm-granite/granite-3.1-2b-instruct", 2048, 40, 32, 8, 64, 8192, 49_155, true, false, 131_072,
            "backbone-facts §C7 (Granite Vision); MLP, head, vocab (U)"),

        // Granite 4.0-H-Tiny: text only, 40 blocks = 4 attention (no positional encoding) + 36 Mamba-2, every block a 64-expert top-6
        // MoE (expert 512) with a shared expert (1024); dims (U) per §C7. Intermediate holds the routed expert's width.
        new LanguageModelConfig("granite_4_0_h_tiny", "ibm-granite/granite-4.0-h-tiny", 1536, 40, 12, 4, 128, 512, 100_352, true, false, 131_072,
            "backbone-facts §C7 (G4 README, transformers granitemoehybrid.md); finer dims (U)", DecoderBlockStyle.HybridMamba2MoE,
            new HybridLayout(AttentionLayers: 4, MambaHeads: 48, MambaHeadDim: 64, MambaState: 128, MambaGroups: 1, MambaConvKernel: 4,
                Experts: 64, ExpertsPerToken: 6, ExpertHidden: 512, SharedExpertHidden: 1024)),

        // For the published LLM fine-tuning measurements (memory-facts.md §2 rows L1/L2 and Q1/Q2): Llama-2-7B (config.json:
        // 4096/32/32/32, MLP 11008, vocab 32,000, untied) and Qwen-7B (Qwen 1: 4096/32/32 MHA with c_attn bias, MLP 11008, vocab 151,936).
        new LanguageModelConfig("llama_2_7b", "meta-llama/Llama-2-7b-hf", 4096, 32, 32, 32, 128, 11008, 32_000, false, false, 4096, "Llama-2-7b-hf config.json"),
        new LanguageModelConfig("qwen_7b", "Qwen/Qwen-7B", 4096, 32, 32, 32, 128, 11008, 151_936, false, true, 8192, "Qwen-7B config.json (hidden 4096, intermediate_size 22016 = 2 × 11008 per half)"),
    };

    public static LanguageModelConfig? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    public static IEnumerable<string> Names => All.Select(m => m.Name);
}
