using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Specs;

/// <summary>How one part of a vision-language model trains (<c>vision = frozen</c>, <c>language_model = lora { r = 16 }</c>, …).</summary>
public enum PartMode
{
    Frozen,
    Full,
    Lora,
    QLora,
}

/// <summary>A part's training mode and, for LoRA/QLoRA, its adapter settings.</summary>
public sealed record PartTraining(PartMode Mode, LoraSpec? Lora)
{
    public static PartTraining From(ObjectValue value) => value.Name switch
    {
        "full" => new PartTraining(PartMode.Full, null),
        "lora" => new PartTraining(PartMode.Lora, LoraSpec.From(value)),
        "qlora" => new PartTraining(PartMode.QLora, LoraSpec.From(value)),
        _ => new PartTraining(PartMode.Frozen, null),
    };

    /// <summary>Whether any of the part's parameters (its own or adapters) get gradients.</summary>
    public bool Trains => Mode != PartMode.Frozen;

    /// <summary>How the mode is written: <c>frozen</c>, <c>full</c>, <c>lora { r = 16 }</c>, <c>qlora { r = 16 }</c>.</summary>
    public string Describe() => Lora is { } lora ? $"{(Mode == PartMode.QLora ? "qlora" : "lora")} {{ r = {lora.Rank} }}" : Mode.ToString().ToLowerInvariant();
}

/// <summary>Dynamic tiling of each image (InternVL's <c>max_dynamic_patch</c>, LLaVA-NeXT's AnyRes, Gemma 3's pan-and-scan).</summary>
/// <param name="TileSize">Pixels per tile side (the tower's input size).</param>
/// <param name="MaxTiles">Tiles an image is cut into at most.</param>
/// <param name="Thumbnail">Whether a downscaled whole image is added as one more tile when an image has several.</param>
/// <param name="ImagesPerSample">Images in one training sample (a frame sequence, a SAR + RGB pair).</param>
public sealed record ImageTilingSpec(int TileSize, int MaxTiles, bool Thumbnail, int ImagesPerSample)
{
    /// <summary>Tiles per image at most: the tiles, and the thumbnail when there is more than one tile.</summary>
    public int TilesPerImage => MaxTiles + (Thumbnail && MaxTiles > 1 ? 1 : 0);
}

/// <summary>The <c>train { }</c> block of a <c>vlm</c> model: the usual settings and a mode per part.</summary>
public sealed record VlmTrainSpec(
    int BatchSize,
    int Epochs,
    Precision Precision,
    ObjectValue Optimizer,
    bool GradientCheckpointing,
    AttentionImplementation Attention,
    int Seed,
    ObjectValue Vision,
    ObjectValue Projector,
    ObjectValue LanguageModel)
{
    public PartTraining VisionTraining => PartTraining.From(Vision);

    public PartTraining ProjectorTraining => PartTraining.From(Projector);

    public PartTraining LanguageModelTraining => PartTraining.From(LanguageModel);
}

/// <summary>
/// A vision-language model as declared (<c>model X : vlm { … }</c>): a vision encoder (a VLM tower or any image backbone of
/// the catalog; none for a text-only language model), a projector, a language model, image tiling, the training sequence
/// length and how each part trains. A value, like <see cref="ModelSpec"/>.
/// </summary>
/// <param name="ContextLength">Tokens per training sequence: the visual tokens of every tile plus the text.</param>
public sealed record VlmSpec(
    string Name,
    string? Namespace,
    ComponentSpec? Vision,
    EquatableArray<string> VisionBands,
    ComponentSpec? Projector,
    ComponentSpec LanguageModel,
    ImageTilingSpec Images,
    int ContextLength,
    VlmTrainSpec Train,
    TargetSpec Target);
