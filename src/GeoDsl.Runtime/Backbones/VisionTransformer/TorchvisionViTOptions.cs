using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Runtime.Backbones.VisionTransformer;

/// <summary>
/// Hyperparameters of a torchvision <c>VisionTransformer</c> (torchvision 0.14 <c>torchvision/models/vision_transformer.py</c>),
/// under torchvision's argument names. Defaults are ViT-B/16 at 224 px with 3 bands and no classifier.
/// </summary>
public sealed record TorchvisionViTOptions
{
    /// <summary>Input bands (torchvision hard-codes 3 in <c>conv_proj</c>; any number works here).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Patch size (<c>patch_size</c>): conv_proj kernel = stride.</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Encoder blocks (<c>num_layers</c>).</summary>
    public int NumLayers { get; init; } = 12;

    /// <summary>Attention heads (<c>num_heads</c>).</summary>
    public int NumHeads { get; init; } = 12;

    /// <summary>Token width D (<c>hidden_dim</c>).</summary>
    public int HiddenDim { get; init; } = 768;

    /// <summary>MLP hidden width (<c>mlp_dim</c>).</summary>
    public int MlpDim { get; init; } = 3072;

    /// <summary>
    /// The image size (height, width) the learned <c>encoder.pos_embedding</c> is stored for (torchvision's square
    /// <c>image_size</c>); other sizes interpolate it. Height and width must be multiples of <see cref="PatchSize"/>.
    /// </summary>
    public (int Height, int Width) ImageSize { get; init; } = (224, 224);

    /// <summary>Dropout after the position embedding, after attention and in the MLP (<c>dropout</c>), training only.</summary>
    public double Dropout { get; init; }

    /// <summary>Dropout on the attention weights (<c>attention_dropout</c>), training only.</summary>
    public double AttentionDropout { get; init; }

    /// <summary>Blocks whose outputs are returned, in this order; negative indices count from the end; null = all blocks.</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    /// <summary>
    /// torchvision's classifier <c>heads.head</c> (Linear(D, classes)) when set: for parameter counts and state-dict
    /// comparisons with torchvision and for <see cref="TorchvisionViT.Classify"/>. Backbones of GeoDsl models have none.
    /// </summary>
    public int? NumClasses { get; init; }

    /// <summary>The options for a ViT the front end resolved (no classifier: a GeoDsl model's head follows its necks).</summary>
    public static TorchvisionViTOptions From(VisionTransformerArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new()
        {
            InChannels = a.InChannels,
            PatchSize = a.PatchSize,
            NumLayers = a.NumLayers,
            NumHeads = a.NumHeads,
            HiddenDim = a.HiddenDim,
            MlpDim = a.MlpDim,
            ImageSize = (a.PositionRows * a.PatchSize, a.PositionColumns * a.PatchSize),
            Dropout = a.Dropout,
            AttentionDropout = a.AttentionDropout,
            OutIndices = a.OutIndices.ToArray(),
        };
    }

    /// <summary>The stored position embedding's grid (rows, columns).</summary>
    public (int Rows, int Columns) PositionGrid => (ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    /// <summary>The blocks <see cref="OutIndices"/> selects, as non-negative indices in the given order.</summary>
    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null
            ? Enumerable.Range(0, NumLayers).ToArray()
            : OutIndices.Select(i => i < 0 ? NumLayers + i : i).ToArray();

    /// <summary>Every problem with these options, worded for a user; empty when they are consistent.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                problems.Add(message);
            }
        }

        Require(InChannels >= 1, $"in_chans must be at least 1; got {InChannels}.");
        Require(PatchSize >= 1, $"patch_size must be at least 1; got {PatchSize}.");
        Require(NumLayers >= 1, $"num_layers must be at least 1; got {NumLayers}.");
        Require(NumHeads >= 1 && HiddenDim >= 1 && HiddenDim % NumHeads == 0, $"hidden_dim {HiddenDim} must be a positive multiple of num_heads {NumHeads}.");
        Require(MlpDim >= 1, $"mlp_dim must be at least 1; got {MlpDim}.");
        if (PatchSize >= 1)
        {
            Require(ImageSize.Height >= PatchSize && ImageSize.Width >= PatchSize && ImageSize.Height % PatchSize == 0 && ImageSize.Width % PatchSize == 0,
                $"image_size {ImageSize.Height}×{ImageSize.Width} must be a multiple of patch_size {PatchSize} (torchvision: \"Input shape indivisible by patch size!\").");
        }

        Require(Dropout >= 0 && Dropout < 1, $"dropout must be in [0, 1); got {Dropout}.");
        Require(AttentionDropout >= 0 && AttentionDropout < 1, $"attention_dropout must be in [0, 1); got {AttentionDropout}.");
        Require(NumClasses is null or >= 1, $"num_classes must be at least 1; got {NumClasses}.");
        if (OutIndices is not null)
        {
            Require(OutIndices.Count >= 1, "out_indices must name at least one block (or be left unset for all).");
            foreach (var index in OutIndices)
            {
                Require(index >= -NumLayers && index < NumLayers,
                    $"out_indices entry {index} is out of range for {NumLayers} blocks (allowed {-NumLayers}..{NumLayers - 1}).");
            }
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid torchvision ViT options: " + string.Join(" ", problems));
        }
    }
}
