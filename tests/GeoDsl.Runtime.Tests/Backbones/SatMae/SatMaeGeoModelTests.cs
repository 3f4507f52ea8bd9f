using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>Small models built from .geomodel text get the encoder class their catalog entry names, with its parameter count.</summary>
public sealed class SatMaeGeoModelTests
{
    [Theory]
    [InlineData("satmae_vit_base_multispectral")]
    [InlineData("satmae_vit_large_multispectral")]
    public void AMultispectralModelsEncoderIsTheDescriptorsRuntimeType(string backbone)
    {
        var analysis = ModelSpecs.Analyze(SatMaeTestModels.MultispectralModel("32", backbone));
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(MaeTestSupport.Backbone(backbone).RuntimeType, model.Encoder.GetType().FullName);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void ATemporalModelsEncoderIsTheDescriptorsRuntimeType()
    {
        var analysis = ModelSpecs.Analyze(SatMaeTestModels.TemporalModel("32"));
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(MaeTestSupport.Backbone("satmae_vit_large_temporal").RuntimeType, model.Encoder.GetType().FullName);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheEncoderWeightsSitUnderEncoderWithTheReferenceNames()
    {
        using var model = new GeoModel(ModelSpecs.Parse(SatMaeTestModels.MultispectralModel("32")));
        var keys = model.state_dict().Keys.ToHashSet(StringComparer.Ordinal);

        Assert.Contains("encoder.patch_embed.2.proj.weight", keys);
        Assert.Contains("encoder.channel_embed", keys);
        Assert.Contains("encoder.channel_cls_embed", keys);
        Assert.Contains("encoder.blocks.1.mlp.fc2.weight", keys);
    }
}
