using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Composition;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>A small segmentation model on each Clay entry, built from .geomodel text through <see cref="GeoModel"/>.</summary>
public sealed class ClayCompositionTests
{
    public static TheoryData<string> Variants => new(ClayTestModels.VariantNames);

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheEncoderIsTheRuntimeTypeTheCatalogNames(string name)
    {
        using var model = new GeoModel(ClayTestModels.Analyze(ClayTestModels.Model(name)).Spec);

        Assert.Equal(ComponentCatalog.Default.FindBackbone(name)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.IsType<ClayEncoder>(model.Encoder);
    }

    [Fact]
    public void TheComposedModelHasTheParameterCountTheFrontEndComputes()
    {
        var analysis = ClayTestModels.Analyze(ClayTestModels.Model());
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheEncoderTakesClaysWavelengthsAndTheGsdArgument()
    {
        using var model = new GeoModel(ClayTestModels.Analyze(ClayTestModels.Model("clay_v1_5_large", bands: "VV, VH, RED",
            arguments: "gsd = 30, dim = 32, depth = 1, heads = 2, dim_head = 16")).Spec);
        var options = ((ClayEncoder)model.Encoder).Options;

        Assert.Equal(new[] { 3.5, 4.0, 0.665 }, options.Wavelengths);
        Assert.Equal(30, options.Gsd);
        Assert.False(options.FixedGrid);
    }

    [Fact]
    public void AnInputPaddedUpToImgSizeRunsAndTheOutputIsCroppedBack()
    {
        using var model = new GeoModel(ClayTestModels.Analyze(ClayTestModels.Model(size: "60")).Spec);
        model.eval();
        using var noGrad = torch.no_grad();

        var output = model.Predict(ClayTestModels.Pixels(2, 3, 60, 60));

        Assert.Equal(new long[] { 2, 2, 60, 60 }, output.Output.shape);
    }

    [Fact]
    public void ATimeSeriesRunsTheEncoderOnEachFrameWhenTemporalPoolingIsSet()
    {
        var text = ClayTestModels.Model(size: "64").Replace("size = 64 }", "size = 64, frames = 2 }", StringComparison.Ordinal)
            .Replace("dim_head = 16", "dim_head = 16, temporal_pooling = mean", StringComparison.Ordinal);
        var analysis = ClayTestModels.Analyze(text);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = torch.no_grad();

        var output = model.Predict(torch.randn(new long[] { 1, 3, 2, 64, 64 }));

        Assert.Equal(new[] { 65, 32 }, analysis.Trace.Stages[0].Output.Tensors[0].Dims.ToArray());
        Assert.Equal(new long[] { 1, 2, 64, 64 }, output.Output.shape);
    }
}
