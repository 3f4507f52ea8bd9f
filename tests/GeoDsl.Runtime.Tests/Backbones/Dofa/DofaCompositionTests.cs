using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Composition;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>A small segmentation model on each DOFA entry, built from .geomodel text through <see cref="GeoModel"/>.</summary>
public sealed class DofaCompositionTests
{
    public static TheoryData<string> Variants => new(DofaTestModels.VariantNames);

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheEncoderIsTheRuntimeTypeTheCatalogNames(string name)
    {
        using var model = new GeoModel(DofaTestModels.Analyze(DofaTestModels.Model(name)).Spec);

        Assert.Equal(ComponentCatalog.Default.FindBackbone(name)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.IsType<DofaViT>(model.Encoder);
    }

    [Fact]
    public void TheComposedModelHasTheParameterCountTheFrontEndComputes()
    {
        var analysis = DofaTestModels.Analyze(DofaTestModels.Model());
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheEncoderIsBuiltForTheBandsWavelengths()
    {
        using var model = new GeoModel(DofaTestModels.Analyze(DofaTestModels.Model(bands: "VV, VH, RED")).Spec);

        Assert.Equal(new[] { 5.405, 5.405, 0.665 }, ((DofaViT)model.Encoder).Options.Wavelengths);
    }

    [Fact]
    public void AForwardPassGivesClassLogitsAtTheInputSizeAfterPadding()
    {
        using var model = new GeoModel(DofaTestModels.Analyze(DofaTestModels.Model(size: "60")).Spec);
        model.eval();
        using var noGrad = torch.no_grad();

        var output = model.Predict(DofaTestModels.Pixels(2, 3, 60, 60));

        Assert.Equal(new long[] { 2, 2, 60, 60 }, output.Output.shape);
    }
}
