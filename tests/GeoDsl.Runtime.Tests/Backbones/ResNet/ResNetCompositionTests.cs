using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// ResNets composed from .geomodel text through <see cref="GeoModel"/>: the encoder is the catalog's runtime type,
/// the whole model has the front end's parameter count, the five levels feed a U-Net, inputs are padded to the total
/// stride 32 and predictions cropped back, and a Satlas multi-image model takes [B, C, T, H, W].
/// </summary>
public sealed class ResNetCompositionTests
{
    private const string ResUNet = """
        model ResUNet : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_BROAD], size = 64 }
            backbone resnet18
            decoder unet { channels = [64, 32, 16, 16, 8] }
            head segmentation { num_classes = 3 }
        }
        """;

    private const string SatlasSeries = """
        model SatlasSeries : segmentation {
            input { bands = [RED, GREEN, BLUE], size = 64, frames = 3 }
            backbone satlas_resnet50_sentinel2_mi_rgb_satlas { out_indices = [1, 2, 3, 4] }
            decoder uper_net { channels = 16 }
            head segmentation { num_classes = 2 }
        }
        """;

    private static ModelAnalysis Analyze(string text) => ModelSpecs.Analyze(text, "test.geomodel");

    [Theory]
    [InlineData(ResUNet)]
    [InlineData(SatlasSeries)]
    public void TheEncoderIsTheRuntimeTypeTheCatalogNames(string text)
    {
        var analysis = Analyze(text);
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(ComponentCatalog.Default.FindBackbone(analysis.Spec.Backbone.Name)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.IsType<ResNetEncoder>(model.Encoder);
    }

    [Theory]
    [InlineData(ResUNet)]
    [InlineData(SatlasSeries)]
    public void TheComposedModelHasTheParameterCountTheFrontEndComputes(string text)
    {
        var analysis = Analyze(text);
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheEncodersStateDictSitsUnderEncoderWithTorchvisionsNames()
    {
        using var model = new GeoModel(Analyze(ResUNet).Spec);
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.conv1.weight", keys);
        Assert.Contains("encoder.layer4.1.conv2.weight", keys);
        Assert.Contains("encoder.layer2.0.downsample.1.running_var", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("encoder.fc.", StringComparison.Ordinal));
        Assert.Equal(new long[] { 64, 4, 7, 7 }, model.state_dict()["encoder.conv1.weight"].shape);
    }

    [Fact]
    public void TheFiveLevelsFeedAUNetThatPredictsAtTheInputSize()
    {
        using var model = new GeoModel(Analyze(ResUNet).Spec);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 2, 3, 64, 64 }, model.Predict(ResNetTestModels.Pixels(2, 4, 64, 64)).Output.shape);
    }

    [Fact]
    public void SizesThatAreNotAMultipleOf32ArePaddedAndThePredictionCropped()
    {
        using var model = new GeoModel(Analyze(ResUNet).Spec);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, 50, 70 }, model.Predict(ResNetTestModels.Pixels(1, 4, 50, 70)).Output.shape);
    }

    [Fact]
    public void ASatlasMultiImageModelPredictsFromAnImageSeries()
    {
        using var model = new GeoModel(Analyze(SatlasSeries).Spec);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 2, 2, 64, 64 }, model.Predict(ResNetTestModels.Pixels(2, 3, 3, 64, 64)).Output.shape);
    }

    [Fact]
    public void OneTrainingStepRunsBackwardThroughTheEncoder()
    {
        torch.manual_seed(1);
        using var model = new GeoModel(Analyze(ResUNet).Spec);
        var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
        var x = ResNetTestModels.Pixels(2, 4, 64, 64);
        var y = randint(0, 3, new long[] { 2, 64, 64 });
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.Predict(x).Output, y);
        loss.backward();
        optimizer.step();
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.NotNull(model.Encoder.named_parameters().Single(p => p.name == "conv1.weight").parameter.grad);
    }
}
