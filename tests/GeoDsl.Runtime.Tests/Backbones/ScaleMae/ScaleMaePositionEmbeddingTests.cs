using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>
/// Scale-MAE's position embedding (<c>get_2d_sincos_pos_embed_with_resolution</c>): the patch coordinates times the
/// ground sample distance, column code in the first half of the channels, row code in the second, a zero class row.
/// </summary>
public sealed class ScaleMaePositionEmbeddingTests
{
    [Fact]
    public void ThePositionsAreThePatchCoordinatesTimesTheGroundSampleDistance()
    {
        using var atOne = ScaleMaeViT.PositionEmbedding(16, 4, 1.0, CPU);
        using var atTwo = ScaleMaeViT.PositionEmbedding(16, 4, 2.0, CPU);

        // Token (row 0, column 1) at 2 m sits where token (row 0, column 2) sits at 1 m; (1, 1) at 2 m is (2, 2) at 1 m.
        Assert.True(atTwo[0, 1 + 1].allclose(atOne[0, 1 + 2]));
        Assert.True(atTwo[0, 1 + 5].allclose(atOne[0, 1 + 10]));
        Assert.Equal(0f, atOne[0, 0].abs().sum().item<float>());
    }

    [Fact]
    public void TheColumnIsEncodedInTheFirstHalf()
    {
        using var table = ScaleMaeViT.PositionEmbedding(8, 3, 1.5, CPU);

        // Token (row 2, column 1): first half encodes 1·1.5, second half 2·1.5; ω0 = 1.
        Assert.Equal(MathF.Sin(1.5f), table[0, 1 + 7, 0].item<float>(), 6);
        Assert.Equal(MathF.Cos(1.5f), table[0, 1 + 7, 2].item<float>(), 6);
        Assert.Equal(MathF.Sin(3f), table[0, 1 + 7, 4].item<float>(), 6);
    }

    [Fact]
    public void TheGroundSampleDistanceChangesTheFeatures()
    {
        torch.manual_seed(4);
        using var fine = new ScaleMaeViT(ScaleMaeTestModels.Tiny(res: 0.3));
        using var coarse = new ScaleMaeViT(ScaleMaeTestModels.Tiny(res: 10));
        coarse.load_state_dict(fine.state_dict());
        fine.eval();
        coarse.eval();
        using var noGrad = no_grad();
        var pixels = MaeTestSupport.Pixels(1, 3, 32, 32);

        var a = fine.call(new BackboneInput(pixels))[^1];
        var b = coarse.call(new BackboneInput(pixels))[^1];

        Assert.True(MaeTestSupport.MaxAbsDifference(a, b) > 1e-3);
    }
}
