using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;

namespace GeoDsl.Runtime.Backbones.Clay;

/// <summary>
/// Hyperparameters of a Clay encoder (Clay-foundation/model claymodel/model.py <c>Encoder</c>; TerraTorch
/// clay_v1/modules.py <c>EmbeddingEncoder</c>). Defaults are <c>clay_v1_base</c> as TerraTorch builds it
/// (768/12/12, dim_head 64, patch 8, img_size 256) with Clay's ten Sentinel-2 L2A bands.
/// </summary>
public sealed record ClayEncoderOptions
{
    /// <summary>Patch size of every Clay model (<c>patch_size=8</c>).</summary>
    public const int PatchSize = 8;

    /// <summary>Channels at the end of each token that carry time (4) and lat/lon (4) instead of the position encoding.</summary>
    public const int MetadataChannels = 8;

    /// <summary>
    /// Central wavelength of each input band in µm, in channel order (Clay's <c>waves</c>); their count is the band count.
    /// Default: Clay's Sentinel-2 L2A wavelengths (configs/metadata.yaml).
    /// </summary>
    public IReadOnlyList<double> Wavelengths { get; init; } = new[] { 0.493, 0.56, 0.665, 0.704, 0.74, 0.783, 0.842, 0.865, 1.61, 2.19 };

    /// <summary>Token width D (<c>dim</c>); a multiple of 4, at least 16 (the position encoding uses D − 8 channels).</summary>
    public int Dim { get; init; } = 768;

    /// <summary>Transformer layers (<c>depth</c>).</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Attention heads (<c>heads</c>).</summary>
    public int Heads { get; init; } = 12;

    /// <summary>Width of one head (<c>dim_head</c>); attention runs at Heads × DimHead.</summary>
    public int DimHead { get; init; } = 64;

    /// <summary>MLP hidden width as a multiple of D (<c>mlp_ratio</c>), truncated like Python's int().</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>The declared input size (TerraTorch's <c>img_size</c>).</summary>
    public (int Height, int Width) ImageSize { get; init; } = (256, 256);

    /// <summary>
    /// v1 (TerraTorch's <c>EmbeddingEncoder</c>): the position encoding exists only for <see cref="ImageSize"/>, so other
    /// sizes are rejected (TerraTorch #773). False (v1.5's <c>Encoder</c>): any square grid of patches.
    /// </summary>
    public bool FixedGrid { get; init; } = true;

    /// <summary>Ground sample distance in metres used when the input carries none (Sentinel-2: 10).</summary>
    public double Gsd { get; init; } = 10.0;

    /// <summary>Layers whose outputs are returned, in this order; negative indices count from the end. Default: the last (normed).</summary>
    public IReadOnlyList<int> OutIndices { get; init; } = new[] { -1 };

    public int InChannels => Wavelengths.Count;

    public int InnerDim => Heads * DimHead;

    /// <summary>The MLP hidden width, int(D · MlpRatio) as Python computes it.</summary>
    public int MlpHiddenDim => (int)(Dim * MlpRatio);

    /// <summary>The token grid of the declared image size.</summary>
    public TokenGrid DeclaredGrid => new(1, ImageSize.Height / PatchSize, ImageSize.Width / PatchSize);

    /// <summary>The layers <see cref="OutIndices"/> selects, as non-negative indices in the given order.</summary>
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

        Require(Dim >= 16 && Dim % 4 == 0, $"dim must be a multiple of 4 and at least 16 (the position encoding splits D − 8 channels in four); got {Dim}.");
        Require(Depth >= 1, $"depth must be at least 1; got {Depth}.");
        Require(Heads >= 1, $"heads must be at least 1; got {Heads}.");
        Require(DimHead >= 1, $"dim_head must be at least 1; got {DimHead}.");
        Require(MlpRatio > 0 && MlpHiddenDim >= 1, $"mlp_ratio must give a hidden width of at least 1; got {MlpRatio}.");
        Require(ImageSize.Height >= PatchSize && ImageSize.Width >= PatchSize && ImageSize.Height % PatchSize == 0 && ImageSize.Width % PatchSize == 0,
            $"img_size must be a multiple of the patch {PatchSize}; got {ImageSize.Height}×{ImageSize.Width}.");
        Require(!FixedGrid || ImageSize.Height == ImageSize.Width, $"a fixed position grid is square (img_size); got {ImageSize.Height}×{ImageSize.Width}.");
        Require(Gsd > 0 && !double.IsInfinity(Gsd), $"gsd must be a positive number of metres; got {Gsd}.");
        Require(OutIndices.Count >= 1, "out_indices must name at least one layer.");
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
            throw new ArgumentException("Invalid Clay options: " + string.Join(" ", problems));
        }
    }
}
