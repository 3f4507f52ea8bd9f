using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>
/// The embedding tables start as SatMAE initialises them (util/pos_embed.py): 2D sin-cos positions with the column in
/// the first half of the channels and the row in the second, a zero class-token row, 1D sin-cos group codes; and the
/// temporal encoder encodes (year − 2002, month − 1, hour) in three 1D sin-cos blocks.
/// </summary>
public sealed class SatMaeEmbeddingTests
{
    [Fact]
    public void ThePositionTableEncodesTheColumnThenTheRow()
    {
        using var table = MaePositions.TwoDimensional(8, rows: 2, columns: 3, classToken: true);

        Assert.Equal(new long[] { 1, 7, 8 }, table.shape);
        Assert.Equal(0f, table[0, 0].abs().sum().item<float>());
        // Token (row 1, column 2) is row 1 + 1·3 + 2 = 6. Channel 0 = sin(2·ω0), channel 4 = sin(1·ω0), ω0 = 1.
        Assert.Equal(MathF.Sin(2), table[0, 6, 0].item<float>(), 6);
        Assert.Equal(MathF.Cos(2), table[0, 6, 2].item<float>(), 6);
        Assert.Equal(MathF.Sin(1), table[0, 6, 4].item<float>(), 6);
        Assert.Equal(MathF.Cos(1), table[0, 6, 6].item<float>(), 6);
        // ω1 = 1 / 10000^(1/2) for a 4-wide 1D table.
        Assert.Equal(MathF.Sin(2 / 100f), table[0, 6, 1].item<float>(), 6);
    }

    [Fact]
    public void TheGroupCodesStartAsA1DTableOfTheGroupIndexAndTheClassCodeAtZero()
    {
        using var encoder = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());
        var state = encoder.state_dict();
        using var expected = MaePositions.OneDimensional(32, 3);

        Assert.True(state["channel_embed"].allclose(expected));
        Assert.Equal(0f, state["channel_cls_embed"].abs().sum().item<float>());
        using var positions = MaePositions.TwoDimensional(32, 4, 4, classToken: true);
        Assert.True(state["pos_embed"].allclose(positions));
    }

    [Fact]
    public void TheTimeEncodingIsThreeSinCosBlocksOfYearMonthAndHour()
    {
        using var encoder = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal());
        using var times = torch.tensor(new float[] { 16, 6, 10 }, new long[] { 1, 1, 3 });

        using var code = encoder.TimeEncoding(times, 1, 1);

        Assert.Equal(new long[] { 1, 1, 24 }, code.shape);
        Assert.Equal(MathF.Sin(16), code[0, 0, 0].item<float>(), 5);   // year block: sin(16·ω0)
        Assert.Equal(MathF.Cos(16), code[0, 0, 4].item<float>(), 5);
        Assert.Equal(MathF.Sin(6), code[0, 0, 8].item<float>(), 5);    // month block
        Assert.Equal(MathF.Cos(10), code[0, 0, 20].item<float>(), 5);  // hour block, cosines
    }

    [Fact]
    public void TimestampsChangeTheTokensAndAMissingOneLeavesTheTimeChannelsUncoded()
    {
        torch.manual_seed(2);
        using var encoder = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal() with { Depth = 1 });
        encoder.eval();
        using var noGrad = no_grad();
        var pixels = MaeTestSupport.Pixels(1, 3, 2, 16, 16);
        var zeros = torch.zeros(1, 2, 3);

        var withZeros = encoder.call(new BackboneInput(pixels, zeros))[0];
        var without = encoder.call(new BackboneInput(pixels))[0];
        var withTimes = encoder.call(new BackboneInput(pixels, torch.tensor(new float[] { 14, 1, 9, 18, 5, 12 }, new long[] { 1, 2, 3 })))[0];

        Assert.True(MaeTestSupport.MaxAbsDifference(withTimes, without) > 1e-3);
        Assert.True(MaeTestSupport.MaxAbsDifference(withZeros, without) > 1e-3); // sin-cos of 0 is not zero: cos(0) = 1
    }

    [Fact]
    public void TimestampsOfTheWrongShapeAreRejectedWithTheLayout()
    {
        using var encoder = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal());
        var error = Assert.Throws<ArgumentException>(() =>
            encoder.call(new BackboneInput(MaeTestSupport.Pixels(1, 3, 2, 16, 16), torch.zeros(1, 2, 2))));

        Assert.Contains("[B, T, 3] = [1, 2, 3]", error.Message);
        Assert.Contains("year − 2002", error.Message);
    }

    [Fact]
    public void AGroupChannelModelAtAnotherSizeResamplesItsPositionTable()
    {
        using var encoder = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());
        var table = encoder.state_dict()["pos_embed"];

        using var resized = MaePositions.Resample(table, 1, (4, 4), (2, 6));

        Assert.Equal(new long[] { 1, 13, 32 }, resized.shape);
        Assert.True(resized[0, 0].equal(table[0, 0]).all().item<bool>());
        var features = encoder.call(new BackboneInput(MaeTestSupport.Pixels(1, 10, 16, 48)));
        Assert.Equal(new long[] { 1, 1 + (3 * 2 * 6), 64 }, features[0].shape);
    }
}
