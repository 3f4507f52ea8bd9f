using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog;

/// <summary>The arguments of a model's own sections (<c>input</c>, <c>train</c>, <c>aux_head</c>), as catalog data.</summary>
public static class ModelSections
{
    public static readonly string[] SectionNames = { "input", "backbone", "neck", "decoder", "head", "aux_head", "train", "target" };

    public static IReadOnlyList<ParameterInfo> Input { get; } = new[]
    {
        ParameterInfo.Required("bands", ParameterType.ListOf(ParameterType.String, minCount: 1), "Input bands by name, in the order of the data's channels."),
        ParameterInfo.Optional("size", ParameterType.Size(1, 100_000), "Image size in pixels: one number (square) or [height, width]; default the backbone's pretraining size."),
        ParameterInfo.With("frames", ParameterType.Int(1, 1024), 1L, "Time steps per sample."),
        ParameterInfo.Optional("means", ParameterType.ListOf(ParameterType.Float()), "Per-band means for normalisation."),
        ParameterInfo.Optional("stds", ParameterType.ListOf(ParameterType.Float(1e-12)), "Per-band standard deviations for normalisation."),
    };

    public static IReadOnlyList<ParameterInfo> AuxiliaryHead { get; } = new[]
    {
        ParameterInfo.With("weight", ParameterType.Float(0, 1000), 1.0, "Weight of this head's loss in the total."),
    };

    /// <summary>Losses each task accepts; the first is the default (TerraTorch's names).</summary>
    public static IReadOnlyDictionary<ModelTask, string[]> Losses { get; } = new Dictionary<ModelTask, string[]>
    {
        [ModelTask.Segmentation] = new[] { "ce", "dice", "focal", "jaccard", "lovasz" },
        [ModelTask.Regression] = new[] { "mse", "mae", "rmse", "huber" },
        [ModelTask.Classification] = new[] { "ce", "bce", "focal" },
    };

    private static readonly ObjectChoice AdamW = new("adamw",
        ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-4, "Learning rate."),
        ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.05, "Decoupled weight decay."));

    /// <summary>How attention runs; the first is the default (PyTorch's scaled_dot_product_attention, which timm uses when it can).</summary>
    public static readonly string[] AttentionKinds = { "fused", "materialized" };

    /// <summary>The modules LoRA can adapt, by their timm ViT names: the fused query-key-value projection, the attention
    /// output projection and the two MLP layers. Each backbone maps them onto its own modules.</summary>
    public static readonly string[] LoraTargetModules = { "qkv", "proj", "fc1", "fc2" };

    // bitsandbytes.optim.AdamW8bit: AdamW with 8-bit block-quantised moments. GeoDsl's adamw defaults, so switching
    // optimizer changes only how the states are stored.
    private static readonly ObjectChoice AdamW8bit = new("adamw8bit",
        ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-4, "Learning rate."),
        ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.05, "Decoupled weight decay."));

    // PEFT's LoraConfig names and defaults (r = 8, lora_alpha = 8, lora_dropout = 0.0).
    private static ParameterInfo[] LoraParameters(string[] modules, string[] adaptedByDefault, string modulesHelp) => new[]
    {
        ParameterInfo.With("r", ParameterType.Int(1, 4096), 8L, "Rank of each adapter: A is r × d_in, B is d_out × r."),
        ParameterInfo.With("lora_alpha", ParameterType.Float(0, 100000), 8.0, "Scaling numerator: the update is (lora_alpha / r) · B·A·x."),
        ParameterInfo.With("lora_dropout", ParameterType.Float(0, 0.99), 0.0, "Dropout on the adapters' input (it keeps one more copy of that input per adapted layer)."),
        ParameterInfo.With("target_modules", ParameterType.ListOf(ParameterType.OneOf(modules), minCount: 1),
            new ListValue(adaptedByDefault.Select(m => (ArgValue)new NameValue(m)).ToEquatableArray()), modulesHelp),
    };

    /// <summary>
    /// <c>lora { … }</c> and, with <paramref name="quantized"/>, <c>qlora { … }</c> over the given module names: the backbone's
    /// timm names here, a language model's PEFT names in a <c>vlm</c> model.
    /// </summary>
    internal static ObjectChoice LoraChoice(bool quantized, string[] modules, string[] adaptedByDefault, string modulesHelp)
    {
        var lora = LoraParameters(modules, adaptedByDefault, modulesHelp);
        if (!quantized)
        {
            return new ObjectChoice("lora", lora);
        }

        // transformers' BitsAndBytesConfig names for 4-bit loading: NF4 with double quantisation is QLoRA's recipe.
        return new ObjectChoice("qlora", lora.Concat(new[]
        {
            ParameterInfo.With("bnb_4bit_quant_type", ParameterType.OneOf("nf4", "fp4"), "nf4", "4-bit data type of the frozen linear weights."),
            ParameterInfo.With("bnb_4bit_use_double_quant", ParameterType.Bool, true, "Quantise the per-block scales too (≈0.37 bits per weight less)."),
            ParameterInfo.With("bnb_4bit_compute_dtype", ParameterType.OneOf("bf16", "fp16", "fp32"), "bf16", "Precision the 4-bit weights are dequantised to for each matmul."),
        }).ToArray());
    }

    private const string BackboneModulesHelp = "Backbone modules that get adapters: qkv, proj, fc1, fc2 (timm names; each backbone maps them to its own layers).";

    private static readonly ObjectChoice Lora = LoraChoice(false, LoraTargetModules, new[] { "qkv" }, BackboneModulesHelp);

    private static readonly ObjectChoice QLora = LoraChoice(true, LoraTargetModules, new[] { "qkv" }, BackboneModulesHelp);

    // torch.optim.lr_scheduler: CosineAnnealingLR (after a linear warm-up, as TerraTorch's SequentialLR examples), StepLR,
    // ReduceLROnPlateau (on the validation loss) and OneCycleLR, with their argument names and defaults.
    private static readonly ObjectChoice Cosine = new("cosine",
        ParameterInfo.With("warmup_epochs", ParameterType.Int(0, 100000), 0L, "Epochs of linear warm-up from 0 before the cosine decay."),
        ParameterInfo.With("eta_min", ParameterType.Float(0, 10), 0.0, "Learning rate at the end of the decay."));

    private static readonly ObjectChoice Step = new("step",
        ParameterInfo.With("step_size", ParameterType.Int(1, 100000), 10L, "Epochs between decays."),
        ParameterInfo.With("gamma", ParameterType.Float(1e-12, 1), 0.1, "Factor applied at each decay."));

    private static readonly ObjectChoice Plateau = new("plateau",
        ParameterInfo.With("patience", ParameterType.Int(0, 100000), 10L, "Epochs without improvement of the validation loss before a decay."),
        ParameterInfo.With("factor", ParameterType.Float(1e-12, 0.999999), 0.1, "Factor applied at each decay (below 1)."));

    private static readonly ObjectChoice OneCycle = new("onecycle",
        ParameterInfo.Required("max_lr", ParameterType.Float(1e-12, 10), "Peak learning rate of the cycle (the optimizer's lr is replaced by max_lr / div_factor at the start)."),
        ParameterInfo.With("pct_start", ParameterType.Float(0.001, 0.999), 0.3, "Fraction of the cycle spent increasing the learning rate."),
        ParameterInfo.With("div_factor", ParameterType.Float(1, 1e9), 25.0, "Initial learning rate = max_lr / div_factor."));

    // Declared after the choices it uses: static initializers run in text order.
    public static IReadOnlyList<ParameterInfo> Train { get; } = new[]
    {
        ParameterInfo.With("batch_size", ParameterType.Int(1, 65536), 8L, "Samples per optimisation step."),
        ParameterInfo.With("epochs", ParameterType.Int(1, 100000), 10L, "Passes over the training data."),
        ParameterInfo.With("precision", ParameterType.OneOf("fp32", "fp16_mixed", "bf16_mixed", "bf16"), "fp32", "Numeric precision of training."),
        ParameterInfo.With("optimizer", ParameterType.Choice(
                AdamW,
                new ObjectChoice("adam",
                    ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-3, "Learning rate."),
                    ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.0, "L2 weight decay.")),
                new ObjectChoice("sgd",
                    ParameterInfo.With("lr", ParameterType.Float(0, 10), 1e-2, "Learning rate."),
                    ParameterInfo.With("momentum", ParameterType.Float(0, 1), 0.9, "Momentum."),
                    ParameterInfo.With("weight_decay", ParameterType.Float(0, 10), 0.0, "L2 weight decay."),
                    ParameterInfo.With("nesterov", ParameterType.Bool, false, "Nesterov momentum.")),
                AdamW8bit),
            new ObjectValue("adamw", EquatableArray<Argument>.Empty), "Optimizer and its settings, e.g. adamw { lr = 1e-4, weight_decay = 0.05 }."),
        ParameterInfo.Optional("loss", ParameterType.OneOf(Losses.Values.SelectMany(l => l).Distinct().ToArray()), "Loss function (default: ce for segmentation and classification, mse for regression)."),
        ParameterInfo.With("ignore_index", ParameterType.Int(), -1L, "Label value excluded from the loss and the metrics."),
        ParameterInfo.Optional("class_weights", ParameterType.ListOf(ParameterType.Float(0)), "Per-class loss weights."),
        ParameterInfo.With("freeze_backbone", ParameterType.Bool, false, "Train only the necks, decoder and head."),
        ParameterInfo.With("freeze_decoder", ParameterType.Bool, false, "Keep the decoder fixed."),
        ParameterInfo.With("gradient_checkpointing", ParameterType.Bool, false, "Recompute transformer blocks in the backward pass to save memory."),
        ParameterInfo.With("seed", ParameterType.Int(0, int.MaxValue), 0L, "Random seed for reproducible runs."),
        ParameterInfo.Optional("peft_config", ParameterType.Choice(Lora, QLora),
            "Parameter-efficient fine-tuning of the backbone: lora { … } (PEFT LoRA) or qlora { … } (LoRA on a 4-bit NF4 base, bitsandbytes); the backbone's own weights stay frozen."),
        ParameterInfo.Optional("scheduler", ParameterType.Choice(Cosine, Step, Plateau, OneCycle),
            "Learning-rate schedule: cosine { warmup_epochs }, step { step_size, gamma }, plateau { patience, factor } or onecycle { max_lr } (default: constant)."),
        ParameterInfo.With("attention", ParameterType.OneOf(AttentionKinds), AttentionKinds[0],
            "fused: scaled-dot-product (flash / memory-efficient) attention that never stores the N×N scores; materialized: softmax(QKᵀ) computed and kept explicitly."),

        // Lightning's Trainer names (accumulate_grad_batches, gradient_clip_val) and EarlyStopping's patience; per-stage
        // learning rates stand in for TerraTorch's lr_overrides {substring: lr}, which GeoDsl's fixed stage names make typed.
        ParameterInfo.With("accumulate_grad_batches", ParameterType.Int(1, 65536), 1L, "Batches whose gradients are summed before each optimizer step."),
        ParameterInfo.With("gradient_clip_val", ParameterType.Float(0, 1e9), 0.0, "Clip the gradients' global L2 norm to this value before each step; 0 for no clipping."),
        ParameterInfo.With("early_stopping_patience", ParameterType.Int(0, 100000), 0L, "Stop after this many epochs without a better validation score; 0 never stops early."),
        ParameterInfo.Optional("backbone_lr", ParameterType.Float(0, 10), "Learning rate of the backbone (and its LoRA adapters) instead of the optimizer's lr."),
        ParameterInfo.Optional("neck_lr", ParameterType.Float(0, 10), "Learning rate of the necks instead of the optimizer's lr."),
        ParameterInfo.Optional("decoder_lr", ParameterType.Float(0, 10), "Learning rate of the decoder instead of the optimizer's lr."),
        ParameterInfo.Optional("head_lr", ParameterType.Float(0, 10), "Learning rate of the head and auxiliary heads instead of the optimizer's lr."),
    };

    /// <summary>
    /// <c>target &lt;gpu&gt;</c> names a card; <c>target { memory_gib = 20 }</c> gives a budget instead, and
    /// <c>target rtx_4090 { memory_gib = 20 }</c> a card of which only part may be used (a display, another process).
    /// </summary>
    public static IReadOnlyList<ParameterInfo> Target { get; } = new[]
    {
        ParameterInfo.Optional("memory_gib", ParameterType.Float(0.001, 65536), "Memory the model may use on the device, in GiB (1 GiB = 1024³ bytes)."),
    };
}
