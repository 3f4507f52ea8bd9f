using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;

namespace GeoDsl.Runtime.Backbones.Dofa;

/// <summary>
/// Hyperparameters of a DOFA encoder (torchgeo <c>DOFA</c>, torchgeo/models/dofa.py @eeaeaa4, as TerraTorch's
/// <c>dofa_vit.py</c> builds it). Defaults are <c>dofa_base_patch16_224</c> with the nine Sentinel-2 bands of DOFA's
/// README example.
/// </summary>
public sealed record DofaViTOptions
{
    /// <summary>Patch size: torchgeo's <c>DOFAEmbedding(kernel_size=16)</c>.</summary>
    public const int PatchSize = 16;

    /// <summary>Central wavelength of each input band in µm, in channel order; their count is the band count.</summary>
    public IReadOnlyList<double> Wavelengths { get; init; } = new[] { 0.665, 0.56, 0.49, 0.705, 0.74, 0.783, 0.842, 1.61, 2.19 };

    /// <summary>Token width D (<c>embed_dim</c>); a multiple of 4 (2D sin-cos table) and of <see cref="NumHeads"/>.</summary>
    public int EmbedDim { get; init; } = 768;

    /// <summary>Transformer blocks (<c>depth</c>).</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Attention heads (<c>num_heads</c>).</summary>
    public int NumHeads { get; init; } = 12;

    /// <summary>MLP hidden width as a multiple of D (<c>mlp_ratio</c>), truncated like Python's int().</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Declared image size (torchgeo's <c>img_size</c>); sets the stored <c>pos_embed</c>. Other sizes still run.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (224, 224);

    /// <summary>Blocks whose outputs are returned, in this order; negative indices count from the end. TerraTorch's default: the last.</summary>
    public IReadOnlyList<int> OutIndices { get; init; } = new[] { -1 };

    /// <summary>Stochastic-depth rate of every block, in training only (TerraTorch's DOFA has none; 0 reproduces it).</summary>
    public double DropPath { get; init; }

    public int InChannels => Wavelengths.Count;

    /// <summary>The MLP hidden width, int(D · MlpRatio) as Python computes it.</summary>
    public int MlpHiddenDim => (int)(EmbedDim * MlpRatio);

    /// <summary>The token grid of the declared image size (what <c>pos_embed</c> is stored for).</summary>
    public TokenGrid DeclaredGrid => new(1, ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    /// <summary>The blocks <see cref="OutIndices"/> selects, as non-negative indices in the given order.</summary>
    public IReadOnlyList<int> ResolvedOutIndices => OutIndices.Select(i => i < 0 ? Depth + i : i).ToArray();

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

        Require(Wavelengths.Count >= 1, "at least one band wavelength is needed.");
        foreach (var wavelength in Wavelengths)
        {
            Require(wavelength > 0 && !double.IsNaN(wavelength) && !double.IsInfinity(wavelength),
                $"every wavelength must be a positive number of µm; got {wavelength}.");
        }

        Require(Depth >= 1, $"depth must be at least 1; got {Depth}.");
        Require(NumHeads >= 1 && EmbedDim % NumHeads == 0, $"embed_dim {EmbedDim} must be a multiple of num_heads {NumHeads}.");
        Require(EmbedDim >= 4 && EmbedDim % 4 == 0, $"embed_dim must be a positive multiple of 4 (the 2D sin-cos position embedding); got {EmbedDim}.");
        Require(MlpRatio > 0 && MlpHiddenDim >= 1, $"mlp_ratio must give a hidden width of at least 1; got {MlpRatio}.");
        Require(ImageSize.Height >= PatchSize && ImageSize.Width >= PatchSize && ImageSize.Height % PatchSize == 0 && ImageSize.Width % PatchSize == 0,
            $"img_size must be a multiple of the patch {PatchSize} in both directions; got {ImageSize.Height}×{ImageSize.Width}.");
        Require(DropPath >= 0 && DropPath < 1, $"drop_path must be in [0, 1); got {DropPath}.");
        Require(OutIndices.Count >= 1, "out_indices must name at least one block.");
        foreach (var index in OutIndices)
        {
            Require(index >= -Depth && index < Depth, $"out_indices entry {index} is out of range for depth {Depth} (allowed {-Depth}..{Depth - 1}).");
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid DOFA options: " + string.Join(" ", problems));
        }
    }
}
