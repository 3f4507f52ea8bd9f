using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Tests.Backbones.SatMae;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>Small SSL4EO models built from .geomodel text get the encoder class their catalog entry names.</summary>
public sealed class Ssl4eoGeoModelTests
{
    [Theory]
    [InlineData(Ssl4eoTestModels.S2Name, Ssl4eoTestModels.S2Bands)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_oli_sr_moco", "COASTAL_AEROSOL, BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2")]
    public void TheEncoderIsTheDescriptorsRuntimeTypeWithTheFrontEndsCount(string backbone, string bands)
    {
        var analysis = ModelSpecs.Analyze(Ssl4eoTestModels.Model("32", backbone, bands));
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(MaeTestSupport.Backbone(backbone).RuntimeType, model.Encoder.GetType().FullName);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheComposedModelPredictsAtTheInputSize()
    {
        using var model = new GeoModel(ModelSpecs.Parse(Ssl4eoTestModels.Model("[64, 96]")));
        model.eval();
        using var noGrad = TorchSharp.torch.no_grad();

        var output = model.Predict(MaeTestSupport.Pixels(1, 13, 64, 96));

        Assert.Equal(new long[] { 1, 2, 64, 96 }, output.Output.shape);
    }
}
