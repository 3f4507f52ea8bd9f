using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog;

/// <summary>The sections of a <c>vlm</c> model and their arguments, as catalog data (the other kinds' are in <see cref="ModelSections"/>).</summary>
public static class VlmSections
{
    public const string Kind = "vlm";

    public static readonly string[] SectionNames = { "vision", "projector", "language_model", "images", "text", "train", "target" };

    /// <summary>A language model's linear layers by PEFT's names (Hugging Face Llama/Qwen2 modules); InternVL's LoRA adapts all seven.</summary>
    public static readonly string[] LanguageModelModules = { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj" };

    private const string TowerModulesHelp = "Vision modules that get adapters: qkv, proj, fc1, fc2 (InternVL's wrap_backbone_lora adapts all four).";
    private const string LanguageModulesHelp = "Language-model modules that get adapters: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj (all by default, as InternVL's wrap_llm_lora).";

    private static ParameterType Modes(string[] modules, string help, bool adapters)
    {
        var choices = new List<ObjectChoice> { new("frozen"), new("full") };
        if (adapters)
        {
            choices.Add(ModelSections.LoraChoice(false, modules, modules, help));
            choices.Add(ModelSections.LoraChoice(true, modules, modules, help));
        }

        return ParameterType.Choice(choices.ToArray());
    }

    public static IReadOnlyList<ParameterInfo> Images { get; } = new[]
    {
        ParameterInfo.Optional("tile_size", ParameterType.Int(14, 16384), "Pixels per tile side; default the vision tower's input size (InternViT 448, SigLIP-896 896)."),
        ParameterInfo.With("max_tiles", ParameterType.Int(1, 256), 1L, "Tiles an image is cut into at most (InternVL's max_dynamic_patch; its fine-tuning scripts use 6)."),
        ParameterInfo.With("thumbnail", ParameterType.Bool, true, "Add a downscaled whole image as one more tile when an image has several (InternVL's use_thumbnail)."),
        ParameterInfo.With("per_sample", ParameterType.Int(1, 1024), 1L, "Images in one sample (EarthMind feeds multispectral bands as a sequence of pseudo-RGB frames)."),
    };

    public static IReadOnlyList<ParameterInfo> Text { get; } = new[]
    {
        ParameterInfo.With("context_length", ParameterType.Int(1, 1 << 24), 4096L, "Tokens per training sequence, visual tokens included (InternVL's max_seq_length, EarthMind's max_length)."),
    };

    public static IReadOnlyList<ParameterInfo> LanguageModel { get; } = new[]
    {
        ParameterInfo.Optional("tie_word_embeddings", ParameterType.Bool, "Whether the output projection reuses the embedding matrix; default the checkpoint's (InternVL unties Qwen2's)."),
    };

    private static readonly ParameterInfo[] TrainParameters =
        ModelSections.Train.Where(p => p.Name is "batch_size" or "epochs" or "optimizer" or "gradient_checkpointing" or "seed" or "attention").ToArray();

    public static IReadOnlyList<ParameterInfo> Train { get; } = TrainParameters
        .Select(p => p.Name == "batch_size" ? ParameterInfo.With("batch_size", ParameterType.Int(1, 65536), 1L, "Samples per step on the GPU (VLM fine-tuning scripts use 1–4).") : p)
        .Concat(new[]
        {
            ParameterInfo.With("precision", ParameterType.OneOf("fp32", "fp16_mixed", "bf16_mixed", "bf16"), "bf16", "Numeric precision of training (VLM checkpoints are bf16 and train in bf16)."),
            ParameterInfo.With("vision", Modes(ModelSections.LoraTargetModules, TowerModulesHelp, adapters: true), new ObjectValue("frozen", EquatableArray<Argument>.Empty),
                "How the vision encoder trains: frozen, full, lora { … } or qlora { … } (InternVL freezes it by default)."),
            ParameterInfo.With("projector", Modes(ModelSections.LoraTargetModules, string.Empty, adapters: false), new ObjectValue("full", EquatableArray<Argument>.Empty),
                "How the projector trains: full or frozen."),
            ParameterInfo.With("language_model", Modes(LanguageModelModules, LanguageModulesHelp, adapters: true), new ObjectValue("frozen", EquatableArray<Argument>.Empty),
                "How the language model trains: frozen, full, lora { … } or qlora { … }."),
        })
        .ToArray();

    /// <summary>Every name a <c>vision</c> section accepts: the VLM towers and the image backbones of the catalog.</summary>
    public static IEnumerable<string> VisionNames(ComponentCatalog catalog) => VisionTowers.VisionTowers.Names.Concat(catalog.Names(ComponentKind.Backbone));

    /// <summary>The language models a <c>language_model</c> section accepts.</summary>
    public static IEnumerable<string> LanguageModelNames => LanguageModels.LanguageModels.Names;
}
