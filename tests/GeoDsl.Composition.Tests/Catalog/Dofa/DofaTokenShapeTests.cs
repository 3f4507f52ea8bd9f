using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.Dofa;

/// <summary>
/// DOFA gives, for each block in out_indices (TerraTorch's default: the last), tokens [1 + (H/16)(W/16), D] with a class
/// token. Inputs are padded to a multiple of 32 (2 × patch), as TerraTorch's pixel-wise models pad them.
/// </summary>
public sealed class DofaTokenShapeTests
{
    [Theory]
    [InlineData("dofa_small_patch16_224", 384)]
    [InlineData("dofa_base_patch16_224", 768)]
    [InlineData("dofa_large_patch16_224", 1024)]
    public void AtTheDefault224PixelsEachBackboneGivesOneTensorOf197Tokens(string backbone, int width)
    {
        var features = DofaModels.Backbone(DofaModels.Compile(backbone));

        Assert.Equal(FeatureKind.Tokens, features.Kind);
        Assert.Equal(new[] { TensorShape.Of(197, width) }, features.Tensors);
        Assert.Equal(new TokenLayout(HasClsToken: true, Frames: 1, Rows: 14, Columns: 14), features.Tokens);
    }

    [Fact]
    public void ANonSquareInputGivesItsOwnGrid()
    {
        var features = DofaModels.Backbone(DofaModels.Compile(size: "[256, 512]"));

        Assert.Equal(new[] { TensorShape.Of(1 + (16 * 32), 768) }, features.Tensors);
        Assert.Equal(new TokenLayout(true, 1, 16, 32), features.Tokens);
    }

    [Fact]
    public void FourOutIndicesGiveFourTokenTensors()
    {
        var features = DofaModels.Backbone(DofaModels.Compile(arguments: "out_indices = [2, 5, 8, 11]"));

        Assert.Equal(4, features.Count);
        Assert.All(features.Tensors, t => Assert.Equal(TensorShape.Of(197, 768), t));
    }

    [Fact]
    public void AnInputThatIsNotAMultipleOf32IsPaddedWithAWarning()
    {
        var file = DofaModels.Compile(size: "200");

        Assert.Equal(new[] { TensorShape.Of(1 + (14 * 14), 768) }, DofaModels.Backbone(file).Tensors);
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticDescriptors.SizeNotMultipleOfPatch.Id, warning.Id);
        Assert.Contains("not a multiple of 32 (2 × patch 16)", warning.Message);
    }

    [Fact]
    public void AnOutIndexBeyondTheDepthPointsAtTheItem()
    {
        var error = DofaModels.SingleError(DofaModels.Compile("dofa_small_patch16_224", arguments: "out_indices = [-13]"));

        Assert.Equal(DiagnosticDescriptors.FeatureIndexOutOfRange.Id, error.Id);
        Assert.Contains("Index -13", error.Message);
    }

    [Fact]
    public void AHeadCountThatDoesNotDivideTheWidthIsRejected()
    {
        var error = DofaModels.SingleError(DofaModels.Compile(arguments: "embed_dim = 96, num_heads = 5"));

        Assert.StartsWith("'num_heads' of backbone 'dofa_base_patch16_224' must be a divisor of embed_dim 96", error.Message);
    }
}
