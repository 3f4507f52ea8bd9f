using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.VisionTowers;

/// <summary>
/// InternVL's projector: the tower's tokens lose their class token, the patch grid is pixel-shuffled by a factor f
/// (downsample_ratio = 1/f: each f×f block of neighbours becomes one token f² times as wide), and <c>mlp1</c> =
/// LayerNorm → Linear → GELU → Linear maps them to the language model's width. The module is <c>mlp1</c> itself, so its
/// keys are InternVL's <c>mlp1.0.weight</c>, <c>mlp1.0.bias</c>, <c>mlp1.1.*</c>, <c>mlp1.3.*</c> (2 is the GELU).
/// </summary>
public sealed class InternVlProjector : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly LayerNorm norm;

    [ComponentName(Name = "1")]
    private readonly Linear first;

    [ComponentName(Name = "3")]
    private readonly Linear second;

    public InternVlProjector(long towerWidth, long languageWidth, int factor = 2, Device? device = null, ScalarType? dtype = null)
        : base(nameof(InternVlProjector))
    {
        if (factor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The pixel-shuffle factor must be at least 1 (InternVL: 2, downsample_ratio 0.5).");
        }

        Factor = factor;
        var merged = towerWidth * factor * factor;
        norm = nn.LayerNorm(merged, device: device, dtype: dtype);
        first = nn.Linear(merged, languageWidth, hasBias: true, device: device, dtype: dtype);
        second = nn.Linear(languageWidth, languageWidth, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    public int Factor { get; }

    /// <summary>[tiles, 1 + g², width] tower tokens (class token first) → [tiles, (g/f)², language width].</summary>
    public override Tensor forward(Tensor towerTokens)
    {
        var merged = PixelShuffle(towerTokens[.., 1.., ..], Factor);
        return second.call(nn.functional.gelu(first.call(norm.call(merged))));
    }

    /// <summary>
    /// InternVL's pixel shuffle (ps_version v2, the one InternVL2/2.5 configs set) on [tiles, g², C] grid tokens in row-major
    /// order: output token (r, s) of the (g/f)×(g/f) grid holds input tokens (r·f + m, s·f + k) at channels (m·f + k)·C … + C.
    /// </summary>
    public static Tensor PixelShuffle(Tensor gridTokens, int factor)
    {
        var tiles = gridTokens.shape[0];
        var count = gridTokens.shape[1];
        var channels = gridTokens.shape[2];
        var side = (long)Math.Round(Math.Sqrt(count));
        if (side * side != count || side % factor != 0)
        {
            throw new ArgumentException(
                $"Pixel shuffle by {factor} needs a square grid whose side is a multiple of {factor}; got {count} tokens. "
                + "Use a tile size whose patch grid is divisible by the factor (InternViT: 448 px / 14 = 32).", nameof(gridTokens));
        }

        var merged = side / factor;
        return gridTokens.reshape(tiles, merged, factor, merged, factor, channels)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(tiles, merged * merged, factor * factor * channels);
    }
}
