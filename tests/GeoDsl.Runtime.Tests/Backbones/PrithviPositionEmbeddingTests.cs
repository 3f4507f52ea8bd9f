using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// The fixed 3D sin-cos position embedding of terratorch/models/backbones/prithvi_mae.py (get_3d_sincos_pos_embed):
/// channels [0, 6D/16) encode the column, [6D/16, 12D/16) the row, [12D/16, D) the frame; each part is
/// [sin(p·ω_k) for k &lt; d/2, cos(p·ω_k) for k &lt; d/2] with ω_k = 10000^(-k/(d/2)); tokens run (frame, row, column);
/// row 0 (class token) is zero.
/// </summary>
public sealed class PrithviPositionEmbeddingTests
{
    /// <summary>The formula, evaluated independently of the implementation (exp/log form, doubles).</summary>
    private static double Expected(int dim, int frame, int row, int column, int channel)
    {
        var columnDim = dim / 16 * 6;
        var rowDim = dim / 16 * 6;
        var frameDim = dim / 16 * 4;
        int position, local, part;
        if (channel < columnDim)
        {
            (position, local, part) = (column, channel, columnDim);
        }
        else if (channel < columnDim + rowDim)
        {
            (position, local, part) = (row, channel - columnDim, rowDim);
        }
        else
        {
            (position, local, part) = (frame, channel - columnDim - rowDim, frameDim);
        }

        var half = part / 2;
        var k = local % half;
        var angle = position * Math.Exp(-Math.Log(10000.0) * k / half);
        return local < half ? Math.Sin(angle) : Math.Cos(angle);
    }

    private static void AssertClose(double expected, float actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");

    private static float At(Tensor table, TokenGrid grid, int frame, int row, int column, int channel)
    {
        var token = 1 + (((frame * grid.Rows) + row) * grid.Columns) + column;
        return table[0, token, channel].item<float>();
    }

    [Fact]
    public void PosEmbedEqualsTheSinCosFormulaAtSampledPositions()
    {
        // D = 64: 24 column channels, 24 row channels, 16 frame channels. Grid 3 × 4 × 5.
        var options = PrithviTestModels.Tiny() with { EmbedDim = 64, NumFrames = 3, ImageSize = (16, 20) };
        using var model = new PrithviViT(options);
        var grid = model.DeclaredGrid;
        Assert.Equal(new TokenGrid(3, 4, 5), grid);
        var table = model.state_dict()["pos_embed"];
        Assert.Equal(new long[] { 1, 1 + 60, 64 }, table.shape);

        var samples = new (int T, int H, int W)[] { (0, 0, 0), (0, 0, 1), (0, 3, 4), (1, 2, 3), (2, 1, 0), (2, 3, 4) };
        var channels = new[] { 0, 1, 5, 11, 12, 13, 23, 24, 30, 47, 48, 50, 55, 56, 63 };
        foreach (var (t, h, w) in samples)
        {
            foreach (var c in channels)
            {
                AssertClose(Expected(64, t, h, w, c), At(table, grid, t, h, w, c), 1e-6);
            }
        }
    }

    [Fact]
    public void TheClassTokenRowIsZero()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        var table = model.state_dict()["pos_embed"];
        Assert.Equal(0f, table[0, 0].abs().max().item<float>());
    }

    [Fact]
    public void AnotherFrameCountRecomputesTheFormulaForThoseFrames()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny()); // declared 2 frames, 2×2 patches
        var grid = new TokenGrid(5, 2, 2);
        var table = model.PositionEmbeddingFor(grid);
        Assert.Equal(new long[] { 1, 21, 32 }, table.shape);
        for (var t = 0; t < 5; t++)
        {
            for (var c = 0; c < 32; c++)
            {
                AssertClose(Expected(32, t, 1, 0, c), At(table, grid, t, 1, 0, c), 1e-6);
            }
        }
    }

    [Fact]
    public void AnotherImageSizeResizesTheTableBicubicallyKeepingCornersAndRows()
    {
        // Declared 4 × 4 patches; the input has 4 × 7. With align_corners the corner columns are kept exactly, and a
        // resize that only widens leaves the row channels (constant along a row) equal to the formula.
        var options = PrithviTestModels.Tiny() with { EmbedDim = 64, NumFrames = 1, ImageSize = (16, 16) };
        using var model = new PrithviViT(options);
        var declared = model.DeclaredGrid;
        var wider = new TokenGrid(1, 4, 7);
        var table = model.PositionEmbeddingFor(wider);
        Assert.Equal(new long[] { 1, 1 + 28, 64 }, table.shape);
        Assert.Equal(0f, table[0, 0].abs().max().item<float>());

        var original = model.state_dict()["pos_embed"];
        for (var h = 0; h < 4; h++)
        {
            for (var c = 0; c < 64; c++)
            {
                AssertClose(At(original, declared, 0, h, 0, c), At(table, wider, 0, h, 0, c), 1e-5);
                AssertClose(At(original, declared, 0, h, 3, c), At(table, wider, 0, h, 6, c), 1e-5);
            }

            for (var w = 0; w < 7; w++)
            {
                for (var c = 24; c < 48; c++)
                {
                    AssertClose(Expected(64, 0, h, 0, c), At(table, wider, 0, h, w, c), 1e-5);
                }
            }
        }
    }

    [Fact]
    public void TheDeclaredGridUsesTheStoredBufferAndOtherGridsAreCached()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        Assert.Same(model.state_dict()["pos_embed"], model.PositionEmbeddingFor(model.DeclaredGrid));
        var other = new TokenGrid(2, 3, 2);
        Assert.Same(model.PositionEmbeddingFor(other), model.PositionEmbeddingFor(other));
    }

    [Fact]
    public void TheStaticTableEqualsTheFormulaForANonSquareGrid()
    {
        var grid = new TokenGrid(2, 3, 5);
        using var table = SinCosEmbedding.ThreeDimensionalWithClassToken(48, grid);
        Assert.Equal(ScalarType.Float32, table.dtype);
        for (var c = 0; c < 48; c++)
        {
            AssertClose(Expected(48, 1, 2, 4, c), At(table, grid, 1, 2, 4, c), 1e-6);
            AssertClose(Expected(48, 0, 1, 3, c), At(table, grid, 0, 1, 3, c), 1e-6);
        }
    }
}
