using System;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// Fixed sine-cosine position embeddings as the MAE family (and so Prithvi) computes them:
/// for a position p and an embedding of d channels, channel k &lt; d/2 is sin(p·ω_k) and channel d/2 + k is cos(p·ω_k),
/// with ω_k = 1 / 10000^(k / (d/2)).
/// </summary>
public static class SinCosEmbedding
{
    /// <summary>
    /// The 1D embedding of integer positions 0..count-1, in double precision (numpy's float64, as the reference
    /// computes it before casting to float32). Row-major [count, dim].
    /// </summary>
    public static double[] OneDimensional(int dim, int count)
    {
        if (dim <= 0 || dim % 2 != 0)
        {
            throw new ArgumentException($"A 1D sin-cos embedding needs an even, positive width; got {dim}.", nameof(dim));
        }

        var half = dim / 2;
        var omega = new double[half];
        for (var k = 0; k < half; k++)
        {
            // Same operation order as the reference: k / (d/2), then 1 / 10000^that.
            omega[k] = 1.0 / Math.Pow(10000.0, k / (dim / 2.0));
        }

        var result = new double[count * dim];
        for (var p = 0; p < count; p++)
        {
            for (var k = 0; k < half; k++)
            {
                var angle = p * omega[k];
                result[(p * dim) + k] = Math.Sin(angle);
                result[(p * dim) + half + k] = Math.Cos(angle);
            }
        }

        return result;
    }

    /// <summary>
    /// The 3D (frames × rows × columns) embedding with a leading all-zero row for the class token, shaped
    /// [1, 1 + T·h·w, dim] in float32 on the CPU. Tokens run row-major (frame, row, column), the order a Conv3d
    /// patch embedding flattens to. Channels: 6/16 of the width encode the column, the next 6/16 the row and the
    /// last 4/16 the frame (Prithvi's split; the width must be a multiple of 16).
    /// </summary>
    public static Tensor ThreeDimensionalWithClassToken(int dim, TokenGrid grid)
    {
        if (dim <= 0 || dim % 16 != 0)
        {
            throw new ArgumentException($"A 3D sin-cos embedding needs a width that is a multiple of 16; got {dim}.", nameof(dim));
        }

        if (grid.Frames < 1 || grid.Rows < 1 || grid.Columns < 1)
        {
            throw new ArgumentException($"The token grid must be at least 1×1×1; got {grid.Frames}×{grid.Rows}×{grid.Columns}.", nameof(grid));
        }

        var columnDim = dim / 16 * 6;
        var rowDim = dim / 16 * 6;
        var frameDim = dim / 16 * 4;
        var columns = OneDimensional(columnDim, grid.Columns);
        var rows = OneDimensional(rowDim, grid.Rows);
        var frames = OneDimensional(frameDim, grid.Frames);

        var tokens = grid.Tokens;
        var data = new double[(tokens + 1) * dim]; // row 0 (class token) stays zero
        var n = 0;
        for (var t = 0; t < grid.Frames; t++)
        {
            for (var h = 0; h < grid.Rows; h++)
            {
                for (var w = 0; w < grid.Columns; w++)
                {
                    var row = (n + 1) * dim;
                    Array.Copy(columns, w * columnDim, data, row, columnDim);
                    Array.Copy(rows, h * rowDim, data, row + columnDim, rowDim);
                    Array.Copy(frames, t * frameDim, data, row + columnDim + rowDim, frameDim);
                    n++;
                }
            }
        }

        // Cast once from float64, as the reference does with torch.from_numpy(...).float().
        using var asDouble = torch.tensor(data, new long[] { 1, tokens + 1, dim }, ScalarType.Float64);
        return asDouble.to(ScalarType.Float32);
    }

    /// <summary>
    /// The 1D embedding of arbitrary (real-valued) positions as a tensor op, the way Prithvi's temporal and location
    /// encoders compute it: [M] positions in, [M, dim] out, in the positions' dtype and device.
    /// </summary>
    public static Tensor OfPositions(int dim, Tensor positions)
    {
        if (dim <= 0 || dim % 2 != 0)
        {
            throw new ArgumentException($"A 1D sin-cos embedding needs an even, positive width; got {dim}.", nameof(dim));
        }

        using var scope = torch.NewDisposeScope();
        var half = dim / 2;
        var omega = torch.arange(half, dtype: positions.dtype, device: positions.device).div(dim / 2.0);
        omega = torch.pow(10000.0, omega).reciprocal();
        var angles = positions.reshape(-1).unsqueeze(1) * omega.unsqueeze(0); // outer product [M, d/2]
        return torch.cat(new[] { angles.sin(), angles.cos() }, dim: 1).MoveToOuterDisposeScope();
    }
}
