using System;
using System.Collections.Generic;

namespace GeoDsl.Runtime.Inference;

/// <summary>
/// Where tiles start along one axis of a scene and how much each kept pixel weighs. Coordinates are those of the
/// padded scene (the scene shifted by delta): a tile at p covers padded pixels [p, p + crop), keeps [p + delta,
/// p + crop − delta), which are scene pixels [p, p + kept). Tiles step by the stride; the last one is moved back to end
/// at the padded edge, so the kept parts cover the scene exactly, with no tile beyond it.
/// </summary>
internal sealed class TileLayout
{
    public TileLayout(int sceneLength, TiledInferenceOptions options)
    {
        SceneLength = sceneLength;
        Crop = options.Crop;
        Delta = options.Delta;
        int padded = Math.Max(sceneLength + 2 * options.Delta, options.Crop);
        var positions = new List<int>();
        for (int p = 0; p + options.Crop < padded; p += options.Stride)
        {
            positions.Add(p);
        }

        positions.Add(padded - options.Crop);
        Positions = positions;
        Weights = KeptWeights(options.KeptSize, options.Blending);
    }

    public int SceneLength { get; }

    public int Crop { get; }

    public int Delta { get; }

    public IReadOnlyList<int> Positions { get; }

    /// <summary>The weight of each kept pixel along this axis; a tile pixel's weight is the product of its row's and column's.</summary>
    public float[] Weights { get; }

    /// <summary>The scene pixel that padded position <paramref name="padded"/> shows (mirrored at the edges).</summary>
    public int ScenePixel(int padded) => Reflect(padded - Delta, SceneLength);

    /// <summary>
    /// Mirror reflection without repeating the edge pixel (torch's <c>reflect</c> padding: index −1 shows pixel 1),
    /// repeated for reaches beyond the scene, so a scene smaller than a tile is padded too.
    /// </summary>
    public static int Reflect(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        int period = 2 * (length - 1);
        int folded = ((index % period) + period) % period;
        return folded < length ? folded : period - folded;
    }

    /// <summary>
    /// Hann weights sin²(π(i + ½)/n): positive everywhere (a pixel only one tile keeps gets that tile's value exactly),
    /// near 0 at the edges where a tile's context ends, 1 at its centre.
    /// </summary>
    private static float[] KeptWeights(int kept, TileBlending blending)
    {
        var weights = new float[kept];
        for (int i = 0; i < kept; i++)
        {
            double s = Math.Sin(Math.PI * (i + 0.5) / kept);
            weights[i] = blending == TileBlending.Cosine ? (float)(s * s) : 1f;
        }

        return weights;
    }
}
