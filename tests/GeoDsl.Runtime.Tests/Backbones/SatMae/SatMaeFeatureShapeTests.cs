using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>
/// The encoders' outputs have the shapes the front end infers, at the published size and at another one (small
/// widths; the token counts are the published ones). Multispectral: class token + 3 groups × (H/8)(W/8), 433 at 96 px.
/// Temporal: class token + T × (H/16)(W/16).
/// </summary>
public sealed class SatMaeFeatureShapeTests
{
    [Theory]
    [InlineData("96", 96, 96, 433)]
    [InlineData("[48, 80]", 48, 80, 1 + (3 * 6 * 10))]
    public void TheGroupChannelTokensHaveTheInferredShape(string size, int height, int width, int tokens)
    {
        var analysis = ModelSpecs.Analyze(SatMaeTestModels.MultispectralModel(size));
        var inferred = BackboneOutput(analysis);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();

        var features = (TokenFeatures)((IBackbone)model.Encoder).Encode(new BackboneInput(MaeTestSupport.Pixels(2, 10, height, width)));

        Assert.Equal(new TokenLayout(true, 3, height / 8, width / 8), inferred.Tokens);
        Assert.Equal(inferred.Count, features.Count);
        Assert.All(features.Tensors, t => Assert.Equal(new long[] { 2, tokens, 64 }, t.shape));
        Assert.All(inferred.Tensors, t => Assert.Equal(TensorShape.Of(tokens, 64), t));
        Assert.Equal(new TokenGrid(3, height / 8, width / 8), features.Grid);
    }

    [Theory]
    [InlineData("224", 224, 224, 1 + (3 * 196))]
    [InlineData("[64, 96]", 64, 96, 1 + (3 * 4 * 6))]
    public void TheTemporalTokensHaveTheInferredShape(string size, int height, int width, int tokens)
    {
        var analysis = ModelSpecs.Analyze(SatMaeTestModels.TemporalModel(size));
        var inferred = BackboneOutput(analysis);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();

        var features = (TokenFeatures)((IBackbone)model.Encoder).Encode(new BackboneInput(MaeTestSupport.Pixels(1, 3, 3, height, width)));

        Assert.Equal(new TokenLayout(true, 3, height / 16, width / 16), inferred.Tokens);
        Assert.Equal(TensorShape.Of(tokens, 416), Assert.Single(inferred.Tensors));
        Assert.Equal(new long[] { 1, tokens, 416 }, Assert.Single(features.Tensors).shape);
    }

    [Fact]
    public void TheComposedMultispectralModelPredictsAtTheInputSize()
    {
        using var model = new GeoModel(ModelSpecs.Parse(SatMaeTestModels.MultispectralModel("[48, 80]")));
        model.eval();
        using var noGrad = no_grad();

        var output = model.Predict(MaeTestSupport.Pixels(1, 10, 48, 80));

        Assert.Equal(new long[] { 1, 2, 48, 80 }, output.Output.shape);
    }

    internal static FeatureShape BackboneOutput(GeoDsl.Composition.ModelAnalysis analysis) =>
        analysis.Trace.Stages.First(s => s.Kind == "backbone").Output;
}
