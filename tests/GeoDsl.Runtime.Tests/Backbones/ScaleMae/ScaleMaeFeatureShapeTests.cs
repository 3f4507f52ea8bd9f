using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>
/// Outputs have the inferred shapes: class token + (S/16)² tokens, 197 at 224 px; by default only the last block is
/// returned (TerraTorch's <c>out_indices</c> default [-1]).
/// </summary>
public sealed class ScaleMaeFeatureShapeTests
{
    [Theory]
    [InlineData("224", 224, 197)]
    [InlineData("64", 64, 17)]
    public void TheLastBlocksTokensHaveTheInferredShape(string size, int pixels, int tokens)
    {
        var analysis = ModelSpecs.Analyze(ScaleMaeTestModels.Model(size));
        var inferred = SatMaeFeatureShapeTests.BackboneOutput(analysis);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();

        var features = (TokenFeatures)((IBackbone)model.Encoder).Encode(new BackboneInput(MaeTestSupport.Pixels(1, 3, pixels, pixels)));

        Assert.Equal(TensorShape.Of(tokens, 64), Assert.Single(inferred.Tensors));
        Assert.Equal(new long[] { 1, tokens, 64 }, Assert.Single(features.Tensors).shape);
        Assert.Equal(new TokenLayout(true, 1, pixels / 16, pixels / 16), inferred.Tokens);
        Assert.Equal(new TokenGrid(1, pixels / 16, pixels / 16), features.Grid);
    }

    [Fact]
    public void OutIndicesSelectBlocksInOrder()
    {
        var analysis = ModelSpecs.Analyze(ScaleMaeTestModels.Model("32", extra: ", out_indices = [1, 0]"));
        using var model = new GeoModel(analysis.Spec);
        using var noGrad = no_grad();

        var features = ((IBackbone)model.Encoder).Encode(new BackboneInput(MaeTestSupport.Pixels(1, 3, 32, 32)));

        Assert.Equal(2, features.Count);
        Assert.Equal(2, SatMaeFeatureShapeTests.BackboneOutput(analysis).Count);
    }

    [Fact]
    public void ANonSquareImageIsRejectedByTheEncoder()
    {
        using var encoder = new ScaleMaeViT(ScaleMaeTestModels.Tiny());

        var error = Assert.Throws<ArgumentException>(() => encoder.call(new BackboneInput(MaeTestSupport.Pixels(1, 3, 16, 32))));

        Assert.Contains("square", error.Message);
        Assert.Contains("16×32", error.Message);
    }
}
