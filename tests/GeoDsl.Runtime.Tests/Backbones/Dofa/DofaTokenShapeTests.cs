using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Features;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// Every output is [B, 1 + (H/16)(W/16), D] with the class token first, one per out_index, at the declared size and at
/// others (the position embedding is resized); the shapes equal the front end's. Narrow widths, real patch size.
/// </summary>
public sealed class DofaTokenShapeTests
{
    [Fact]
    public void AtTheDefault224PixelsTheTokensAreTheClassTokenAnd196Patches()
    {
        using var model = new DofaViT(DofaTestModels.Tiny(depth: 1) with { ImageSize = (224, 224) });
        using var noGrad = torch.no_grad();

        var features = model.Encode(DofaTestModels.Pixels(2, 3, 224, 224));

        Assert.Equal(new long[] { 2, 197, 32 }, Assert.Single(features.Tensors).shape);
        Assert.True(features.HasClsToken);
        Assert.Equal(new TokenGrid(1, 14, 14), features.Grid);
    }

    [Fact]
    public void ANonSquareInputOfAnotherSizeGetsItsOwnGrid()
    {
        using var model = new DofaViT(DofaTestModels.Tiny(depth: 1));
        using var noGrad = torch.no_grad();

        var features = model.Encode(DofaTestModels.Pixels(1, 3, 48, 80));

        Assert.Equal(new long[] { 1, 1 + (3 * 5), 32 }, features[0].shape);
        Assert.Equal(new TokenGrid(1, 3, 5), features.Grid);
    }

    [Fact]
    public void OutIndicesReturnThoseBlocksInTheGivenOrderWithNegativeOnesFromTheEnd()
    {
        using var model = new DofaViT(DofaTestModels.Tiny(depth: 3) with { OutIndices = new[] { -1, 0 } });
        using var noGrad = torch.no_grad();

        var features = model.Encode(DofaTestModels.Pixels(1, 3, 32, 32));

        Assert.Equal(new[] { 2, 0 }, model.OutIndices);
        Assert.Equal(2, features.Count);
        Assert.False(features[0].equal(features[1]).all().item<bool>());
    }

    [Theory]
    [InlineData("224", 197)]
    [InlineData("[256, 320]", 1 + (16 * 20))]
    public void TheRuntimeShapesEqualTheFrontEndsInAComposedModel(string size, int tokens)
    {
        var analysis = DofaTestModels.Analyze(DofaTestModels.Model(size: size, arguments: "embed_dim = 32, depth = 1, num_heads = 2, out_indices = [0, -1]"));
        using var model = new GeoDsl.Runtime.Composition.GeoModel(analysis.Spec);
        var encoder = (DofaViT)model.Encoder;
        var declared = analysis.Trace.Stages[0].Output;
        using var noGrad = torch.no_grad();

        var features = encoder.Encode(DofaTestModels.Pixels(1, 3, encoder.Options.ImageSize.Height, encoder.Options.ImageSize.Width));

        Assert.Equal(declared.Count, features.Count);
        Assert.All(features.Tensors, t => Assert.Equal(new long[] { 1, tokens, 32 }, t.shape));
        Assert.All(declared.Tensors, t => Assert.Equal(new[] { tokens, 32 }, t.Dims.ToArray()));
    }

    [Fact]
    public void PixelsWithAnotherBandCountThanTheWavelengthsAreRejectedWithTheLayout()
    {
        using var model = new DofaViT(DofaTestModels.Tiny(depth: 1));

        var error = Assert.Throws<ArgumentException>(() => model.Encode(DofaTestModels.Pixels(1, 4, 32, 32)));

        Assert.Contains("[B, 3, H, W]", error.Message);
        Assert.Contains("0.665, 0.56, 0.49 µm", error.Message);
        Assert.Contains("[1, 4, 32, 32]", error.Message);
    }

    [Fact]
    public void ASizeThatIsNotAMultipleOfThePatchIsRejected()
    {
        using var model = new DofaViT(DofaTestModels.Tiny(depth: 1));

        var error = Assert.Throws<ArgumentException>(() => model.Encode(DofaTestModels.Pixels(1, 3, 40, 32)));

        Assert.Contains("multiples of 16", error.Message);
    }
}
