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

/// <summary>The <c>train { }</c> block.</summary>
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
    int Seed)
{
    public double LearningRate => Optimizer.Args.Double("lr");

    /// <summary>Whether training leaves the stage at <paramref name="stagePath"/> (<c>backbone</c>, <c>decoder</c>) unchanged.</summary>
    public bool Freezes(string stagePath) => (FreezeBackbone && stagePath == "backbone") || (FreezeDecoder && stagePath == "decoder");
}

/// <summary>The GPU the model must fit: <c>target rtx_4090</c>.</summary>
public sealed record TargetSpec(string Gpu, long MemoryBytes, string DisplayName);
