using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// Shifted-window attention as torchvision (<c>shifted_window_attention</c> in
/// <c>torchvision/models/swin_transformer.py</c>, 0.14) and MMSegmentation (<c>ShiftWindowMSA</c>/<c>WindowMSA</c> in
/// TerraTorch's <c>swin_encoder_decoder.py</c>) compute it: pad the channel-last map with zeros to whole windows, roll it
/// by the shift, cut it into windows, attend inside each window with a relative position bias (and a −100 mask between
/// regions the roll brought together), then undo all of it. Both references share these steps; they differ in the bias,
/// the scaling and whether a window that covers the whole map still shifts.
/// </summary>
public static class SwinWindows
{
    /// <summary>The value masked pairs get before the softmax (both references use −100, not −∞).</summary>
    public const float MaskValue = -100f;

    /// <summary>
    /// For every pair of tokens (a, b) of a window, the row of the relative position table: (Δrow + wh − 1)·(2ww − 1) +
    /// (Δcol + ww − 1), flattened to [N·N] (N = wh·ww). torchvision and MMSeg store the same numbers (MMSeg as [N, N]).
    /// </summary>
    public static Tensor RelativePositionIndex(int windowHeight, int windowWidth)
    {
        int n = windowHeight * windowWidth;
        var index = new long[n * n];
        for (int a = 0; a < n; a++)
        {
            int rowA = a / windowWidth, columnA = a % windowWidth;
            for (int b = 0; b < n; b++)
            {
                int rowB = b / windowWidth, columnB = b % windowWidth;
                index[(a * n) + b] = ((rowA - rowB + windowHeight - 1) * ((2L * windowWidth) - 1)) + (columnA - columnB + windowWidth - 1);
            }
        }

        return torch.tensor(index, new long[] { (long)n * n }, ScalarType.Int64);
    }

    /// <summary>
    /// Runs <paramref name="attend"/> on the windows of <paramref name="x"/> [B, H, W, C] and returns [B, H, W, C].
    /// <paramref name="attend"/> gets the windows [B·nW, wh·ww, C] and the shift mask [nW, N, N] (null without shift).
    /// </summary>
    /// <param name="noShiftWhenWindowCovers">torchvision sets a shift to 0 when the window is at least the (padded) map in that
    /// direction; MMSeg always shifts.</param>
    public static Tensor Apply(Tensor x, (int Height, int Width) window, (int Height, int Width) shift, bool noShiftWhenWindowCovers,
        Func<Tensor, Tensor?, Tensor> attend)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        long padBottom = (window.Height - (height % window.Height)) % window.Height;
        long padRight = (window.Width - (width % window.Width)) % window.Width;
        var padded = padBottom > 0 || padRight > 0 ? nn.functional.pad(x, new long[] { 0, 0, 0, padRight, 0, padBottom }) : x;
        long paddedHeight = height + padBottom, paddedWidth = width + padRight;

        if (noShiftWhenWindowCovers)
        {
            shift = (window.Height >= paddedHeight ? 0 : shift.Height, window.Width >= paddedWidth ? 0 : shift.Width);
        }

        bool shifted = shift.Height + shift.Width > 0;
        if (shifted)
        {
            padded = padded.roll(new long[] { -shift.Height, -shift.Width }, new long[] { 1, 2 });
        }

        long rows = paddedHeight / window.Height, columns = paddedWidth / window.Width;
        long tokens = (long)window.Height * window.Width;
        var windows = padded.view(batch, rows, window.Height, columns, window.Width, channels)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(batch * rows * columns, tokens, channels);

        var mask = shifted ? ShiftMask(paddedHeight, paddedWidth, window, shift, x.dtype, x.device) : null;
        var attended = attend(windows, mask);

        var merged = attended.view(batch, rows, columns, window.Height, window.Width, channels)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(batch, paddedHeight, paddedWidth, channels);
        if (shifted)
        {
            merged = merged.roll(new long[] { shift.Height, shift.Width }, new long[] { 1, 2 });
        }

        return padBottom > 0 || padRight > 0 ? merged.narrow(1, 0, height).narrow(2, 0, width).contiguous() : merged;
    }

    /// <summary>
    /// Multi-head attention inside windows [Bw, N, C] with the fused qkv projection, a position bias [heads, N, N] and the
    /// optional shift mask [nW, N, N]. With <paramref name="logitScale"/> it is Swin v2's cosine attention
    /// (normalised q·k times exp(min(logit_scale, ln 100))); otherwise q is scaled by head_dim^−½.
    /// </summary>
    public static Tensor Attend(Tensor windows, Tensor qkvWeight, Tensor? qkvBias, Tensor projectionWeight, Tensor? projectionBias, int heads,
        Tensor positionBias, Tensor? mask, Tensor? logitScale)
    {
        long count = windows.shape[0], tokens = windows.shape[1], channels = windows.shape[2];
        long headDim = channels / heads;
        var qkv = nn.functional.linear(windows, qkvWeight, qkvBias)
            .reshape(count, tokens, 3, heads, headDim)
            .permute(2, 0, 3, 1, 4);
        var q = qkv[0];
        var k = qkv[1];
        var v = qkv[2];

        Tensor scores;
        if (logitScale is not null)
        {
            var scale = logitScale.clamp_max(Math.Log(100.0)).exp();
            scores = Normalize(q).matmul(Normalize(k).transpose(-2, -1)) * scale;
        }
        else
        {
            scores = (q * Math.Pow(headDim, -0.5)).matmul(k.transpose(-2, -1));
        }

        scores = scores + positionBias.unsqueeze(0);
        if (mask is not null)
        {
            long windowCount = mask.shape[0];
            scores = (scores.view(count / windowCount, windowCount, heads, tokens, tokens) + mask.unsqueeze(1).unsqueeze(0))
                .view(-1, heads, tokens, tokens);
        }

        var attended = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(count, tokens, channels);
        return nn.functional.linear(attended, projectionWeight, projectionBias);
    }

    /// <summary>
    /// The shift mask [nW, N, N]: 0 between tokens of one region, −100 between regions. The padded map is labelled in
    /// 3 × 3 regions with Python's slices (0, −w), (−w, −s), (−s, None) per axis, as both references do (with their
    /// quirk: a zero shift makes the last slice the whole axis).
    /// </summary>
    public static Tensor ShiftMask(long height, long width, (int Height, int Width) window, (int Height, int Width) shift, ScalarType dtype, Device device)
    {
        var region = new int[height * width];
        var rowSlices = Slices(height, window.Height, shift.Height);
        var columnSlices = Slices(width, window.Width, shift.Width);
        int label = 0;
        foreach (var (rowStart, rowStop) in rowSlices)
        {
            foreach (var (columnStart, columnStop) in columnSlices)
            {
                for (long r = rowStart; r < rowStop; r++)
                {
                    for (long c = columnStart; c < columnStop; c++)
                    {
                        region[(r * width) + c] = label;
                    }
                }

                label++;
            }
        }

        long rows = height / window.Height, columns = width / window.Width;
        int n = window.Height * window.Width;
        var mask = new float[rows * columns * n * n];
        var labels = new int[n];
        for (long wr = 0; wr < rows; wr++)
        {
            for (long wc = 0; wc < columns; wc++)
            {
                for (int t = 0; t < n; t++)
                {
                    long r = (wr * window.Height) + (t / window.Width);
                    long c = (wc * window.Width) + (t % window.Width);
                    labels[t] = region[(r * width) + c];
                }

                long offset = ((wr * columns) + wc) * n * n;
                for (int a = 0; a < n; a++)
                {
                    for (int b = 0; b < n; b++)
                    {
                        mask[offset + (a * n) + b] = labels[a] == labels[b] ? 0f : MaskValue;
                    }
                }
            }
        }

        return torch.tensor(mask, new long[] { rows * columns, n, n }).to(dtype, device);
    }

    /// <summary>F.normalize over the last axis: x / max(‖x‖₂, 1e-12).</summary>
    public static Tensor Normalize(Tensor x) => x / torch.linalg.vector_norm(x, 2, new long[] { -1 }, keepdim: true).clamp_min(1e-12);

    private static (long Start, long Stop)[] Slices(long length, int window, int shift) => new[]
    {
        Slice(length, 0, -window),
        Slice(length, -window, -shift),
        Slice(length, -shift, null),
    };

    /// <summary>Python's <c>a[start:stop]</c> bounds on an axis of <paramref name="length"/>.</summary>
    private static (long Start, long Stop) Slice(long length, long start, long? stop)
    {
        long Resolve(long i) => i < 0 ? Math.Max(0, length + i) : Math.Min(i, length);
        long from = Resolve(start);
        long to = stop is { } s ? Resolve(s) : length;
        return (from, Math.Max(from, to));
    }
}
