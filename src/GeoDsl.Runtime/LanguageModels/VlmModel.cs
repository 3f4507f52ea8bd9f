using System;
using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Runtime.VisionTowers;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// An InternVL-style vision-language model: <c>vision_model</c> (InternViT) → <c>mlp1</c> (pixel shuffle + MLP) →
/// <c>language_model</c> (a catalog decoder), with each tile's visual tokens written over the image-placeholder tokens
/// (InternVL's <c>&lt;IMG_CONTEXT&gt;</c>) of the prompt's embeddings, in order. State-dict names follow
/// <c>InternVLChatModel</c>: <c>vision_model.*</c>, <c>mlp1.*</c>, <c>language_model.model.*</c>, <c>language_model.lm_head.*</c>.
/// </summary>
public sealed class VlmModel : nn.Module
{
    [ComponentName(Name = "vision_model")]
    private readonly InternVisionModel visionModel;

    [ComponentName(Name = "mlp1")]
    private readonly InternVlProjector mlp1;

    [ComponentName(Name = "language_model")]
    private readonly nn.Module languageModel;

    /// <param name="tower">The vision tower (InternViT-shaped).</param>
    /// <param name="languageModelConfig">The language model.</param>
    /// <param name="imageTokenId">The placeholder token id whose embeddings the visual tokens replace.</param>
    /// <param name="mergeFactor">Pixel-shuffle factor (InternVL: 2).</param>
    /// <param name="tiedEmbeddings">Overrides the language model's tie_word_embeddings (InternVL unties Qwen2.5's).</param>
    public VlmModel(
        VisionTowerConfig tower,
        LanguageModelConfig languageModelConfig,
        long imageTokenId,
        int mergeFactor = 2,
        bool? tiedEmbeddings = null,
        Device? device = null,
        ScalarType? dtype = null)
        : base(nameof(VlmModel))
    {
        ArgumentNullException.ThrowIfNull(tower);
        ArgumentNullException.ThrowIfNull(languageModelConfig);
        if (imageTokenId < 0 || imageTokenId >= languageModelConfig.Vocab)
        {
            throw new ArgumentOutOfRangeException(nameof(imageTokenId), imageTokenId,
                $"The image placeholder id must be a token of `{languageModelConfig.Name}` (0 … {languageModelConfig.Vocab - 1}).");
        }

        ImageTokenId = imageTokenId;
        visionModel = new InternVisionModel(tower, device: device, dtype: dtype);
        mlp1 = new InternVlProjector(tower.Width, languageModelConfig.Hidden, mergeFactor, device, dtype);
        languageModel = (nn.Module)CausalLanguageModels.Create(languageModelConfig, tiedEmbeddings, device, dtype);
        TokensPerTile = (tower.Grid(tower.ImageSize) / mergeFactor) * (tower.Grid(tower.ImageSize) / mergeFactor);
        RegisterComponents();
    }

    public long ImageTokenId { get; }

    /// <summary>Visual tokens one tile of the tower's image size becomes.</summary>
    public int TokensPerTile { get; }

    // A computed property: a stored one would be a second field holding the module, registered a second time.
    public ICausalLanguageModel LanguageModel => (ICausalLanguageModel)languageModel;

    /// <summary>[tiles, 3, H, W] → [tiles, tokens per tile, language width].</summary>
    public Tensor EncodeImages(Tensor pixelValues) => mlp1.call(visionModel.call(pixelValues));

    /// <summary>
    /// The prompt's embeddings with every placeholder replaced, in reading order, by the visual tokens of the tiles in
    /// order (tile 0's tokens first). The number of placeholders must equal tiles × tokens per tile.
    /// </summary>
    public Tensor EmbedPrompt(Tensor inputIds, Tensor? pixelValues)
    {
        var embeddings = LanguageModel.Embed(inputIds);
        var placeholders = inputIds.eq(ImageTokenId);
        var placeholderCount = placeholders.sum().item<long>();
        if (pixelValues is null)
        {
            return placeholderCount == 0
                ? embeddings
                : throw new ArgumentException($"The prompt has {placeholderCount} image placeholder tokens (id {ImageTokenId}) but no pixel values were given.", nameof(pixelValues));
        }

        var visual = EncodeImages(pixelValues);
        var visualCount = visual.shape[0] * visual.shape[1];
        if (placeholderCount != visualCount)
        {
            throw new ArgumentException(
                $"The prompt has {placeholderCount} image placeholder tokens (id {ImageTokenId}) but {visual.shape[0]} tile(s) give {visualCount} visual tokens "
                + $"({visual.shape[1]} per tile); put {visual.shape[1]} placeholders per tile in the prompt.", nameof(inputIds));
        }

        var mask = placeholders.unsqueeze(-1).expand_as(embeddings);
        return embeddings.masked_scatter(mask, visual.to(embeddings.dtype).reshape(-1));
    }

    /// <summary>[B, N] ids with placeholders and [tiles, 3, H, W] pixels → [B, N, vocab] logits.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? pixelValues) => LanguageModel.Logits(EmbedPrompt(inputIds, pixelValues));

    public GreedyResult Generate(Tensor inputIds, Tensor? pixelValues, int steps, bool useCache = true) =>
        GreedyDecoding.Generate(LanguageModel, EmbedPrompt(inputIds, pixelValues), steps, useCache);
}
