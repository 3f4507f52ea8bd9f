using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>Non-square inputs and sizes other than the declared one get a position embedding for their own grid.</summary>
public sealed class PrithviNonSquareInputTests
{
    [Fact]
    public void A224By320InputGivesA14By20Grid()
    {
        using var model = new PrithviViT(PrithviTestModels.NarrowAtRealSize(patch: 16, frames: 1));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.call(new BackboneInput(PrithviTestModels.Pixels(2, 6, 1, 224, 320)));
        Assert.Equal(new TokenGrid(1, 14, 20), features.Grid);
        Assert.Equal(new long[] { 2, 1 + 280, 32 }, features[0].shape);
        Assert.True(features[0].isfinite().all().item<bool>());
    }

    [Fact]
    public void ADeclaredNonSquareImageStoresItsOwnTable()
    {
        var options = PrithviTestModels.Tiny() with { NumFrames = 1, ImageSize = (8, 20) };
        using var model = new PrithviViT(options);
        Assert.Equal(new TokenGrid(1, 2, 5), model.DeclaredGrid);
        Assert.Equal(new long[] { 1, 11, 32 }, model.state_dict()["pos_embed"].shape);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = model.call(new BackboneInput(PrithviTestModels.Pixels(1, 3, 1, 8, 20)));
        Assert.Equal(new long[] { 1, 11, 32 }, features[0].shape);
    }

    [Fact]
    public void TallAndWideInputsOfTheSameAreaDiffer()
    {
        // The resized table must follow the actual rows and columns, not just the token count.
        using var model = new PrithviViT(PrithviTestModels.Tiny() with { NumFrames = 1 });
        var tall = model.PositionEmbeddingFor(new TokenGrid(1, 4, 2));
        var wide = model.PositionEmbeddingFor(new TokenGrid(1, 2, 4));
        Assert.Equal(tall.shape, wide.shape);
        Assert.True(PrithviTestModels.MaxAbsDifference(tall, wide) > 1e-3f);
    }
}
