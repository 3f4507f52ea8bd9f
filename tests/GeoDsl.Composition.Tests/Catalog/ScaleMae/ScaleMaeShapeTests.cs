using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Tests.Catalog.SatMae;

namespace GeoDsl.Composition.Tests.Catalog.ScaleMae;

/// <summary>
/// Scale-MAE gives [B, 1 + (S/p)², D] for the out_indices blocks (TerraTorch's default: the last), and takes square
/// inputs only: its position embedding assumes a √N × √N grid.
/// </summary>
public sealed class ScaleMaeShapeTests
{
    [Theory]
    [InlineData("scalemae_vit_base_patch16", 197, 768)]
    [InlineData("scalemae_vit_large_patch16", 197, 1024)]
    [InlineData("scalemae_vit_huge_patch14", 257, 1280)]
    public void At224PixelsTheLastBlockIsTheOutput(string backbone, int tokens, int width)
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE]", backbone));

        Assert.Equal(TensorShape.Of(tokens, width), Assert.Single(output.Tensors));
    }

    [Fact]
    public void OutIndicesAndAnotherSquareSizeAreFollowed()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE], size = 512", "scalemae_vit_large_patch16 { out_indices = [7, 11, 15, 23], res = 0.5 }"));

        Assert.Equal(4, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(1 + (32 * 32), 1024), t));
        Assert.Equal(new TokenLayout(true, 1, 32, 32), output.Tokens);
    }

    [Fact]
    public void ANonSquareInputIsRejectedWithTheSizesToUse()
    {
        var error = Assert.Single(MaeFrontEnd.Errors(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE], size = [224, 256]", "scalemae_vit_large_patch16")));

        Assert.StartsWith("GEO1017", error, StringComparison.Ordinal);
        Assert.Contains("needs a square image", error, StringComparison.Ordinal);
        Assert.Contains("the input is 224×256", error, StringComparison.Ordinal);
        Assert.Contains("size = 224 or size = 256", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutIndexPastTheLastBlockIsReported()
    {
        var error = Assert.Single(MaeFrontEnd.Errors(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE]", "scalemae_vit_base_patch16 { out_indices = [12] }")));

        Assert.StartsWith("GEO1002", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLargeEncoderHasTheClosedFormCount()
    {
        var input = MaeFrontEnd.Input(new[] { "RED", "GREEN", "BLUE" }, 224, 224);

        // 3·256·1024 + 1024 patch, 1,024 class token, 24 × (12·1024² + 13·1024), 2,048 norm; pos_embed is fixed.
        Assert.Equal(303_099_904, MaeFrontEnd.Backbone("scalemae_vit_large_patch16").CountParameters(input, MaeFrontEnd.NoArguments));
    }
}
