using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// Token counts at the published resolutions, [B, 1 + T'·h·w, D]. Token counts depend only on the patch, the image
/// and the frames, so a narrow one-block transformer stands in for the real widths.
/// </summary>
public sealed class PrithviTokenCountTests
{
    [Theory]
    [InlineData(16, 1, 197)] // v1/v2-300 at 224 px, 1 frame
    [InlineData(16, 3, 589)] // v1 pretraining (3 frames)
    [InlineData(16, 4, 785)] // v2 pretraining (4 frames)
    [InlineData(14, 1, 257)] // 600M: patch 14 → 16 × 16
    [InlineData(14, 4, 1025)]
    public void SixBandsAt224PixelsGiveTheExpectedTokenCount(int patch, int frames, long tokens)
    {
        using var model = new PrithviViT(PrithviTestModels.NarrowAtRealSize(patch, frames));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.call(new BackboneInput(PrithviTestModels.Pixels(1, 6, frames, 224, 224)));

        Assert.Equal(new long[] { 1, tokens, 32 }, features[0].shape);
        Assert.True(features.HasClsToken);
        Assert.Equal(new TokenGrid(frames, 224 / patch, 224 / patch), features.Grid);
        Assert.Equal(tokens - 1, features.Grid.Tokens);
    }

    [Fact]
    public void ATubeletOfTwoHalvesTheFrameTokens()
    {
        var options = PrithviTestModels.Tiny() with { PatchSize = (2, 4, 4), NumFrames = 4 };
        using var model = new PrithviViT(options);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.call(new BackboneInput(PrithviTestModels.Pixels(2, 3, 4, 8, 8)));
        Assert.Equal(new TokenGrid(2, 2, 2), features.Grid);
        Assert.Equal(new long[] { 2, 9, 32 }, features[0].shape);
    }

    [Fact]
    public void AFourDimensionalInputIsOneFrame()
    {
        var options = PrithviTestModels.Tiny() with { NumFrames = 1 };
        using var model = new PrithviViT(options);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = PrithviTestModels.Pixels(2, 3, 1, 8, 8);
        var fromFive = model.call(new BackboneInput(pixels));
        var fromFour = model.call(new BackboneInput(pixels.squeeze(2)));
        Assert.Equal(new TokenGrid(1, 2, 2), fromFour.Grid);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(fromFive[^1], fromFour[^1]));
    }
}
