using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.Clay;

/// <summary>
/// Clay gives tokens [1 + (H/8)(W/8), D] with a class token. v1 (TerraTorch's EmbeddingEncoder) fixes its position
/// encoding to img_size, so any other (padded) input size is an error before run time (TerraTorch #773); v1.5 takes any
/// square input.
/// </summary>
public sealed class ClayTokenShapeTests
{
    [Theory]
    [InlineData("clay_v1_base", 768)]
    [InlineData("clay_v1_5_large", 1024)]
    public void AtTheDefault256PixelsEachBackboneGivesTheClassTokenAnd1024PatchTokens(string backbone, int width)
    {
        var features = ClayModels.Backbone(ClayModels.Compile(backbone));

        Assert.Equal(FeatureKind.Tokens, features.Kind);
        Assert.Equal(new[] { TensorShape.Of(1025, width) }, features.Tensors);
        Assert.Equal(new TokenLayout(HasClsToken: true, Frames: 1, Rows: 32, Columns: 32), features.Tokens);
    }

    [Fact]
    public void ClayV15AtAnotherSquareSizeGivesThatGridsTokens()
    {
        var features = ClayModels.Backbone(ClayModels.Compile("clay_v1_5_large", size: "512"));

        Assert.Equal(new[] { TensorShape.Of(1 + (64 * 64), 1024) }, features.Tensors);
    }

    [Fact]
    public void ClayV1AtAnotherSizeThanImgSizeIsAnErrorThatCitesTheFixedEncodingAndTheWayOut()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_base", size: "224"));

        Assert.Equal(DiagnosticDescriptors.InputSizeDiffersFromFixedSize.Id, error.Id);
        Assert.StartsWith("backbone 'clay_v1_base' computes its position encoding once, for img_size = 256 (1024 patches)", error.Message);
        Assert.Contains("#773", error.Message);
        Assert.Contains("the input 224 gives 784 patches", error.Message); // (224 / 8)² = 28² = 784
        Assert.EndsWith("Use size 256, or set img_size = 224 (the weights do not depend on it).", error.Message);
    }

    [Fact]
    public void ClayV1WithImgSizeSetToTheInputSizeRunsAtThatSize()
    {
        var features = ClayModels.Backbone(ClayModels.Compile("clay_v1_base", size: "224", arguments: "img_size = 224"));

        Assert.Equal(new[] { TensorShape.Of(1 + (28 * 28), 768) }, features.Tensors);
    }

    [Fact]
    public void ClayV1AcceptsAnInputThatPadsToImgSizeWithThePaddingWarning()
    {
        var file = ClayModels.Compile("clay_v1_base", size: "250");

        Assert.Equal(new[] { TensorShape.Of(1025, 768) }, ClayModels.Backbone(file).Tensors);
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticDescriptors.SizeNotMultipleOfPatch.Id, warning.Id);
        Assert.Contains("padded to 256", warning.Message);
    }

    [Fact]
    public void AnImgSizeThatNoPaddedInputCanMatchIsReportedOnImgSize()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_base", size: "248", arguments: "img_size = 248"));

        Assert.StartsWith("'img_size' of backbone 'clay_v1_base' must be a multiple of 16", error.Message);
    }

    [Fact]
    public void ClayV15RejectsANonSquareInputBecauseItsGridIsTheSquareRootOfThePatchCount()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_5_large", size: "[256, 512]"));

        Assert.Equal(DiagnosticDescriptors.NonSquareInput.Id, error.Id);
        Assert.StartsWith("backbone 'clay_v1_5_large' needs a square image", error.Message);
        Assert.EndsWith("the input is 256×512. Use size = 512", error.Message);
    }

    [Fact]
    public void OutIndicesSelectLayersAndEachGivesOneTokenTensor()
    {
        var features = ClayModels.Backbone(ClayModels.Compile("clay_v1_base", arguments: "out_indices = [2, 5, 8, 11]"));

        Assert.Equal(4, features.Count);
        Assert.All(features.Tensors, t => Assert.Equal(TensorShape.Of(1025, 768), t));
    }

    [Fact]
    public void AnOutIndexBeyondTheDepthPointsAtTheItem()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_base", arguments: "out_indices = [3, 12]"));

        Assert.Equal(DiagnosticDescriptors.FeatureIndexOutOfRange.Id, error.Id);
        Assert.Contains("Index 12", error.Message);
        Assert.Contains("-12..11", error.Message);
    }

    [Fact]
    public void AWidthTheGsdPositionEncodingCannotSplitIsRejected()
    {
        var error = ClayModels.SingleError(ClayModels.Compile("clay_v1_5_large", arguments: "dim = 66, heads = 2, dim_head = 33"));

        Assert.StartsWith("'dim' of backbone 'clay_v1_5_large' must be a multiple of 4", error.Message);
    }
}
