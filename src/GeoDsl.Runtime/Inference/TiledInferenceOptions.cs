using System;

namespace GeoDsl.Runtime.Inference;

/// <summary>How the overlap of neighbouring tiles is combined.</summary>
public enum TileBlending
{
    /// <summary>A Hann (raised-cosine) weight over each tile's kept part, highest at its centre: seams disappear (TerraTorch's blend_overlaps).</summary>
    Cosine,

    /// <summary>Every kept pixel of every tile counts the same: a plain average of the overlapping tiles (TerraTorch's average_patches).</summary>
    Uniform,
}

/// <summary>
/// How a scene is cut into tiles, with TerraTorch's names and meanings (<c>tiled_inference</c>): square tiles of
/// <see cref="Crop"/> pixels every <see cref="Stride"/> pixels, <see cref="Delta"/> pixels discarded at each tile's
/// edge (where a model lacks context), overlaps blended, tiles run <see cref="BatchSize"/> at a time. The scene is
/// padded by reflection (TerraTorch's <c>padding="reflect"</c>) by <see cref="Delta"/> on every side, and further up to
/// one tile when it is smaller than one, so its own edge pixels lie inside a tile's kept part too.
/// </summary>
public sealed record TiledInferenceOptions
{
    /// <summary>The tile side in pixels: the model's input size.</summary>
    public int Crop { get; init; } = 224;

    /// <summary>Pixels from one tile to the next; at most <see cref="Crop"/> − 2·<see cref="Delta"/> so the kept parts meet.</summary>
    public int Stride { get; init; } = 192;

    /// <summary>Pixels discarded at each edge of every tile.</summary>
    public int Delta { get; init; } = 8;

    /// <summary>Tiles per forward pass: with the crop, this bounds the memory a prediction needs.</summary>
    public int BatchSize { get; init; } = 16;

    public TileBlending Blending { get; init; } = TileBlending.Cosine;

    /// <summary>Tiling for a model whose input is <paramref name="crop"/> pixels: an eighth of it overlaps, half of that is discarded (at most 8 pixels).</summary>
    public static TiledInferenceOptions ForCrop(int crop)
    {
        int overlap = Math.Max(2, crop / 8);
        return new TiledInferenceOptions { Crop = crop, Stride = crop - overlap, Delta = Math.Min(8, overlap / 2) };
    }

    /// <summary>The pixels of a tile that count: the crop without <see cref="Delta"/> at each side.</summary>
    public int KeptSize => Crop - 2 * Delta;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting and the fix when the tiles would leave gaps.</summary>
    public void Check()
    {
        if (Crop <= 0 || Stride <= 0 || BatchSize <= 0 || Delta < 0)
        {
            throw new ArgumentException(
                $"Tiling needs a positive crop, stride and batch size and a delta of 0 or more; got crop {Crop}, stride {Stride}, delta {Delta}, batch size {BatchSize}.");
        }

        if (KeptSize <= 0)
        {
            throw new ArgumentException($"A delta of {Delta} discards the whole {Crop}-pixel tile (2·delta ≥ crop). Use a delta below {(Crop + 1) / 2}.");
        }

        if (Stride > KeptSize)
        {
            throw new ArgumentException(
                $"With crop {Crop} and delta {Delta}, each tile keeps {KeptSize} pixels, so a stride of {Stride} leaves {Stride - KeptSize}-pixel gaps " +
                $"between tiles. Use a stride of at most {KeptSize}, or a delta of at most {(Crop - Stride) / 2} (half the overlap).");
        }
    }
}
