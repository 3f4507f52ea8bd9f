using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Features;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// Outputs are [B, 1 + (H/8)(W/8), D], class token first. v1 only runs at its img_size (its position encoding is fixed,
/// TerraTorch #773); v1.5 runs at any square size. Narrow widths, real patch size.
/// </summary>
public sealed class ClayTokenShapeTests
{
    [Fact]
    public void AtTheDefault256PixelsTheTokensAreTheClassTokenAnd1024Patches()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 1) with { ImageSize = (256, 256) });
        using var noGrad = torch.no_grad();

        var features = model.Encode(ClayTestModels.Pixels(1, 3, 256, 256));

        Assert.Equal(new long[] { 1, 1025, 32 }, Assert.Single(features.Tensors).shape);
        Assert.True(features.HasClsToken);
        Assert.Equal(new TokenGrid(1, 32, 32), features.Grid);
    }

    [Fact]
    public void ClayV15RunsAtAnotherSquareSizeThanItWasBuiltFor()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 1, fixedGrid: false));
        using var noGrad = torch.no_grad();

        var features = model.Encode(ClayTestModels.Pixels(2, 3, 64, 64));

        Assert.Equal(new long[] { 2, 65, 32 }, features[0].shape);
    }

    [Fact]
    public void ClayV1RejectsAnotherSizeThanItsImgSizeWithTheIssueNamed()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 1), "clay_v1_base");

        var error = Assert.Throws<ArgumentException>(() => model.Encode(ClayTestModels.Pixels(1, 3, 64, 64)));

        Assert.Contains("img_size 32 (4×4 = 16 patches)", error.Message);
        Assert.Contains("8×8 = 64 patches", error.Message);
        Assert.Contains("#773", error.Message);
    }

    [Fact]
    public void ClayV15RejectsANonSquareGrid()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 1, fixedGrid: false));

        var error = Assert.Throws<ArgumentException>(() => model.Encode(ClayTestModels.Pixels(1, 3, 32, 64)));

        Assert.Contains("square grid", error.Message);
    }

    [Fact]
    public void OutIndicesReturnIntermediateLayersAndTheLastOneNormed()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 3) with { OutIndices = new[] { 0, -1 } });
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(1, 3, 32, 32);

        var both = model.Encode(pixels);
        using var last = new ClayEncoder(ClayTestModels.Tiny(depth: 3));
        last.load_state_dict(model.state_dict());
        last.eval();

        Assert.Equal(new[] { 0, 2 }, model.OutIndices);
        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(both[1], last.Encode(pixels)[0]));

        // The final LayerNorm (default affine) leaves every token with mean 0 and variance 1 across channels.
        Assert.True(both[1].mean(new long[] { -1 }).abs().max().item<float>() < 1e-4f);
        Assert.False(both[0].mean(new long[] { -1 }).abs().max().item<float>() < 1e-4f);
    }

    [Theory]
    [InlineData("clay_v1_base", "64", 65)]
    [InlineData("clay_v1_5_large", "96", 145)]
    public void TheRuntimeShapesEqualTheFrontEndsInAComposedModel(string backbone, string size, int tokens)
    {
        var analysis = ClayTestModels.Analyze(ClayTestModels.Model(backbone, size: size));
        using var model = new GeoDsl.Runtime.Composition.GeoModel(analysis.Spec);
        var encoder = (ClayEncoder)model.Encoder;
        var declared = analysis.Trace.Stages[0].Output;
        using var noGrad = torch.no_grad();

        var features = encoder.Encode(ClayTestModels.Pixels(1, 3, encoder.Options.ImageSize.Height, encoder.Options.ImageSize.Width));

        Assert.Equal(new[] { tokens, 32 }, Assert.Single(declared.Tensors).Dims.ToArray());
        Assert.Equal(new long[] { 1, tokens, 32 }, Assert.Single(features.Tensors).shape);
    }

    [Fact]
    public void PixelsWithAnotherBandCountThanTheWavelengthsAreRejectedWithTheLayout()
    {
        using var model = new ClayEncoder(ClayTestModels.Tiny(depth: 1));

        var error = Assert.Throws<ArgumentException>(() => model.Encode(ClayTestModels.Pixels(1, 2, 32, 32)));

        Assert.Contains("[B, 3, H, W]", error.Message);
        Assert.Contains("[1, 2, 32, 32]", error.Message);
    }
}
