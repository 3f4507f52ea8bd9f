using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Specs;

// Specs are immutable, compared by value, and hold no syntax, symbols or locations: the generator caches
// them between keystrokes, and a spec that compared by reference would regenerate every model on every edit.

public enum ModelTask
{
    Segmentation,
    Regression,
    Classification,
}

/// <summary>A model as declared, with every name resolved and every default filled in.</summary>
public sealed record ModelSpec(
    string Name,
    string? Namespace,
    ModelTask Task,
    InputSpec Input,
    ComponentSpec Backbone,
    EquatableArray<ComponentSpec> Necks,
    ComponentSpec Decoder,
    ComponentSpec? Head,
    EquatableArray<AuxiliaryHeadSpec> AuxiliaryHeads,
    TrainSpec Train,
    TargetSpec Target);

/// <summary>The input: named bands in order, spatial size, frames and optional normalisation statistics.</summary>
public sealed record InputSpec(
    EquatableArray<string> Bands,
    int Height,
    int Width,
    int Frames,
    EquatableArray<double> Means,
    EquatableArray<double> Stds)
{
    public int Channels => Bands.Count;
}

/// <summary>A catalog component (backbone, neck, decoder or head) and its bound arguments.</summary>
public sealed record ComponentSpec(string Name, EquatableArray<Argument> Arguments)
{
    public ArgumentList Args => new(Arguments);

    public string ToSource() => Arguments.IsEmpty ? Name : Name + " { " + string.Join(", ", System.Linq.Enumerable.Select(Arguments, a => a.ToSource())) + " }";
}

/// <summary>An auxiliary head: its own decoder and head on the shared features, with a loss weight.</summary>
public sealed record AuxiliaryHeadSpec(string Name, ComponentSpec Decoder, ComponentSpec Head, double LossWeight);

public enum Precision
{
    Fp32,
    Fp16Mixed,
    Bf16Mixed,
    Bf16,
}

/// <summary>How attention is computed (<c>attention = fused | materialized</c>).</summary>
public enum AttentionImplementation
{
    /// <summary>Scaled-dot-product attention (flash / memory-efficient kernels): the N×N scores are never stored.</summary>
    Fused,

    /// <summary>softmax(QKᵀ)·V written out, as timm without fused attention or older PyTorch: the scores are kept for backward.</summary>
    Materialized,
}

/// <summary>The <c>train { }</c> block.</summary>
/// <param name="PeftConfig"><c>lora { … }</c> or <c>qlora { … }</c>; null for none. <see cref="Lora"/> reads it typed.</param>
/// <param name="Scheduler"><c>cosine { … }</c>, <c>step { … }</c>, <c>plateau { … }</c> or <c>onecycle { … }</c>; null for a constant rate.</param>
public sealed record TrainSpec(
    int BatchSize,
    int Epochs,
    Precision Precision,
    ObjectValue Optimizer,
    string Loss,
    int IgnoreIndex,
    EquatableArray<double> ClassWeights,
    bool FreezeBackbone,
    bool FreezeDecoder,
    bool GradientCheckpointing,
    int Seed,
    ObjectValue? PeftConfig = null,
    ObjectValue? Scheduler = null,
    AttentionImplementation Attention = AttentionImplementation.Fused,
    int AccumulateGradBatches = 1,
    double GradientClipValue = 0,
    int EarlyStoppingPatience = 0,
    StageLearningRates? StageLearningRates = null)
{
    public double LearningRate => Optimizer.Args.Double("lr");

    /// <summary>Whether training leaves the stage at <paramref name="stagePath"/> (<c>backbone</c>, <c>decoder</c>) unchanged.</summary>
    public bool Freezes(string stagePath) => (FreezeBackbone && stagePath == "backbone") || (FreezeDecoder && stagePath == "decoder");

    /// <summary>
    /// Whether the stage's own weights get no gradient: frozen stages, and the backbone under LoRA/QLoRA, whose base
    /// weights stay fixed while its adapters train.
    /// </summary>
    public bool FreezesWeightsOf(string stagePath) => Freezes(stagePath) || (PeftConfig is not null && stagePath == "backbone");

    /// <summary>The LoRA/QLoRA settings, or null without <c>peft_config</c>.</summary>
    public LoraSpec? Lora => PeftConfig is { } peft ? LoraSpec.From(peft) : null;
}

/// <summary>Learning rates of single stages (<c>backbone_lr</c>, <c>neck_lr</c>, <c>decoder_lr</c>, <c>head_lr</c>); null keeps the optimizer's lr.</summary>
public sealed record StageLearningRates(double? Backbone, double? Neck, double? Decoder, double? Head)
{
    public bool IsEmpty => Backbone is null && Neck is null && Decoder is null && Head is null;
}

/// <summary>
/// LoRA adapters on the backbone (PEFT <c>LoraConfig</c>), optionally on a 4-bit quantised base (QLoRA, bitsandbytes
/// <c>BitsAndBytesConfig(load_in_4bit=True, …)</c>).
/// </summary>
/// <param name="Rank">PEFT's <c>r</c>: each adapted d_out × d_in weight gets A (r × d_in) and B (d_out × r).</param>
/// <param name="TargetModules">Adapted modules by role: qkv, proj, fc1, fc2.</param>
/// <param name="Quantized">QLoRA: the backbone's linear weights are stored in 4 bits.</param>
/// <param name="DoubleQuant">QLoRA: the per-block scales are quantised too.</param>
public sealed record LoraSpec(int Rank, double Alpha, double Dropout, EquatableArray<string> TargetModules, bool Quantized, string QuantType, bool DoubleQuant, string ComputeDtype)
{
    public bool Targets(string module) => TargetModules.Contains(module);

    public static LoraSpec From(ObjectValue peft)
    {
        var args = peft.Args;
        bool quantized = peft.Name == "qlora";
        return new LoraSpec(args.Int("r"), args.Double("lora_alpha"), args.Double("lora_dropout"), args.NameList("target_modules").ToEquatableArray(),
            quantized, quantized ? args.Name("bnb_4bit_quant_type") : "none", quantized && args.Bool("bnb_4bit_use_double_quant"),
            quantized ? args.Name("bnb_4bit_compute_dtype") : "none");
    }
}

/// <summary>The memory budget a model must fit: <c>target rtx_4090</c>, <c>target { memory_gib = 20 }</c> or both.</summary>
/// <param name="Gpu">A GPU catalog name, or <c>custom</c> for a budget that names no card.</param>
/// <param name="MemoryBytes">The budget.</param>
/// <param name="MemoryGiB">The budget as written in <c>memory_gib</c>, when it was given instead of the card's size.</param>
public sealed record TargetSpec(string Gpu, long MemoryBytes, string DisplayName, double? MemoryGiB = null);
