using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// Rotary position embedding in Hugging Face's "rotate half" layout (Qwen2, Llama): frequencies
/// θ^(−2i/d) for i &lt; d/2, each used for the pair (i, i + d/2). Holds no weights (HF's <c>inv_freq</c> is a
/// non-persistent buffer, absent from checkpoints), so the tables are computed on the input's device per call.
/// </summary>
public sealed class RotaryEmbedding
{
    public RotaryEmbedding(int headDim, double theta)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentException($"Rotary embeddings need an even head width; got {headDim}.", nameof(headDim));
        }

        if (!(theta > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "rope_theta must be greater than 1 (Qwen2.5 uses 1,000,000).");
        }

        HeadDim = headDim;
        Theta = theta;
    }

    public int HeadDim { get; }

    public double Theta { get; }

    /// <summary>Rotates <paramref name="x"/> [B, heads, N, head_dim] for positions <paramref name="offset"/> … offset + N − 1.</summary>
    public Tensor Apply(Tensor x, long offset)
    {
        var tokens = x.shape[2];
        var exponents = torch.arange(0, HeadDim, 2, dtype: ScalarType.Float32, device: x.device) / HeadDim;
        var inverseFrequency = torch.pow(Theta, exponents).reciprocal();
        var positions = torch.arange(offset, offset + tokens, dtype: ScalarType.Float32, device: x.device);
        var angles = torch.outer(positions, inverseFrequency);
        var both = torch.cat(new[] { angles, angles }, dim: -1);
        var cos = both.cos().to(x.dtype);
        var sin = both.sin().to(x.dtype);
        var half = HeadDim / 2;
        var rotated = torch.cat(new[] { -x[.., .., .., half..], x[.., .., .., ..half] }, dim: -1);
        return (x * cos) + (rotated * sin);
    }
}
