using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// Hyperparameters of a Prithvi ViT encoder (TerraTorch <c>PrithviViT</c>). Defaults are TerraTorch's <c>_cfg</c>
/// (<c>terratorch/models/backbones/prithvi_vit.py</c>) with <c>num_frames = 1</c>, which is what
/// <c>_create_prithvi</c> passes unless the user sets <c>num_frames</c>.
/// </summary>
public sealed record PrithviViTOptions
{
    /// <summary>Input bands (<c>in_chans</c>); 6 for the pretrained HLS bands.</summary>
    public int InChannels { get; init; } = 6;

    /// <summary>Token width D (<c>embed_dim</c>); a multiple of 16 (the 3D sin-cos split) and of <see cref="NumHeads"/>.</summary>
    public int EmbedDim { get; init; } = 768;

    /// <summary>Transformer blocks (<c>depth</c>).</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Attention heads (<c>num_heads</c>).</summary>
    public int NumHeads { get; init; } = 12;

    /// <summary>MLP hidden width as a multiple of D (<c>mlp_ratio</c>); the hidden width is truncated to an integer.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Tubelet × patch height × patch width (<c>patch_size</c>); Conv3d kernel = stride.</summary>
    public (int Time, int Height, int Width) PatchSize { get; init; } = (1, 16, 16);

    /// <summary>Declared frames (<c>num_frames</c>); sets the stored <c>pos_embed</c>. Other frame counts still run.</summary>
    public int NumFrames { get; init; } = 1;

    /// <summary>Declared image size (<c>img_size</c>); sets the stored <c>pos_embed</c>. Other sizes still run.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (224, 224);

    /// <summary>Temporal encoder (<c>"time"</c> in <c>coords_encoding</c>): adds an embedding of (year, day of year).</summary>
    public bool TimeEncoding { get; init; }

    /// <summary>Location encoder (<c>"location"</c> in <c>coords_encoding</c>): adds an embedding of (lat, lon).</summary>
    public bool LocationEncoding { get; init; }

    /// <summary>Whether the encoders' scales are learned parameters (init 0.1) rather than fixed buffers of 1 (<c>coords_scale_learn</c>).</summary>
    public bool CoordsScaleLearn { get; init; }

    /// <summary>Blocks whose outputs are returned, in this order; negative indices count from the end; null = all blocks.</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    /// <summary>Stochastic-depth rate, the same for every block as TerraTorch passes it (training only).</summary>
    public double DropPath { get; init; }

    /// <summary>The MLP hidden width, int(D · MlpRatio) as Python computes it.</summary>
    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    /// <summary>The token grid of the declared frames and image size (what <c>pos_embed</c> is stored for).</summary>
    public TokenGrid DeclaredGrid =>
        new(NumFrames / PatchSize.Time, ImageSize.Height / PatchSize.Height, ImageSize.Width / PatchSize.Width);

    /// <summary>The blocks <see cref="OutIndices"/> selects, as non-negative indices in the given order.</summary>
    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null
            ? Enumerable.Range(0, Depth).ToArray()
            : OutIndices.Select(i => i < 0 ? Depth + i : i).ToArray();

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
        Require(Depth >= 1, $"depth must be at least 1; got {Depth}.");
        Require(NumHeads >= 1, $"num_heads must be at least 1; got {NumHeads}.");
        Require(EmbedDim >= 16 && EmbedDim % 16 == 0,
            $"embed_dim must be a positive multiple of 16 (the 3D sin-cos position embedding splits it 6:6:4); got {EmbedDim}.");
        Require(NumHeads >= 1 && EmbedDim % NumHeads == 0, $"embed_dim {EmbedDim} must be a multiple of num_heads {NumHeads}.");
        Require(MlpRatio > 0 && MlpHiddenDim >= 1, $"mlp_ratio must give a hidden width of at least 1; got {MlpRatio}.");
        Require(PatchSize.Time >= 1 && PatchSize.Height >= 1 && PatchSize.Width >= 1,
            $"patch_size must be positive; got ({PatchSize.Time}, {PatchSize.Height}, {PatchSize.Width}).");
        Require(NumFrames >= 1, $"num_frames must be at least 1; got {NumFrames}.");
        if (PatchSize.Time >= 1 && PatchSize.Height >= 1 && PatchSize.Width >= 1 && NumFrames >= 1)
        {
            var grid = DeclaredGrid;
            Require(grid.Frames >= 1 && grid.Rows >= 1 && grid.Columns >= 1,
                $"patch size ({PatchSize.Time}, {PatchSize.Height}, {PatchSize.Width}) is bigger than the input " +
                $"({NumFrames}, {ImageSize.Height}, {ImageSize.Width}).");
        }

        Require(!TimeEncoding || PatchSize.Time == 1,
            $"with time encoding, patch_size[0] (the tubelet) must be 1; got {PatchSize.Time}.");
        Require(DropPath >= 0 && DropPath < 1, $"drop_path must be in [0, 1); got {DropPath}.");
        if (OutIndices is not null)
        {
            Require(OutIndices.Count >= 1, "out_indices must name at least one block (or be left unset for all).");
            foreach (var index in OutIndices)
            {
                Require(index >= -Depth && index < Depth,
                    $"out_indices entry {index} is out of range for depth {Depth} (allowed {-Depth}..{Depth - 1}).");
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
            throw new ArgumentException("Invalid Prithvi ViT options: " + string.Join(" ", problems));
        }
    }
}
