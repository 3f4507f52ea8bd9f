using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Tests.Backbones.SatMae;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>Small Scale-MAE models built from .geomodel text get the encoder class their catalog entry names.</summary>
public sealed class ScaleMaeGeoModelTests
{
    [Theory]
    [InlineData("scalemae_vit_base_patch16")]
    [InlineData("scalemae_vit_large_patch16")]
    [InlineData("scalemae_vit_huge_patch14")]
    public void TheEncoderIsTheDescriptorsRuntimeTypeWithTheFrontEndsCount(string backbone)
    {
        var analysis = ModelSpecs.Analyze(ScaleMaeTestModels.Model("56", backbone));
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(MaeTestSupport.Backbone(backbone).RuntimeType, model.Encoder.GetType().FullName);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    [Fact]
    public void TheComposedModelPredictsAtTheInputSize()
    {
        using var model = new GeoModel(ModelSpecs.Parse(ScaleMaeTestModels.Model("64")));
        model.eval();
        using var noGrad = TorchSharp.torch.no_grad();

        var output = model.Predict(MaeTestSupport.Pixels(2, 3, 64, 64));

        Assert.Equal(new long[] { 2, 2, 64, 64 }, output.Output.shape);
    }
}
