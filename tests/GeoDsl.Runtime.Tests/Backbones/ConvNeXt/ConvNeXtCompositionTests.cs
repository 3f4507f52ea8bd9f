using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>
/// Small segmentation models on a torchvision ConvNeXt built from <c>.geomodel</c> text through <see cref="GeoModel"/>: the
/// four maps feed pyramid decoders directly, without necks.
/// </summary>
public sealed class ConvNeXtCompositionTests
{
    private static string Model(string backbone, string decoder) => $$"""
        model TinyConvNeXt : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW], size = 64 }
            backbone {{backbone}} { dims = [8, 16, 24, 32], depths = [1, 1, 2, 1] }
            decoder {{decoder}}
            head segmentation { num_classes = 2 }
        }
        """;

    [Theory]
    [InlineData("convnext_tiny")]
    [InlineData("convnext_base")]
    public void TheEncoderIsTheDescriptorsRuntimeType(string backbone)
    {
        using var model = new GeoModel(ModelSpecs.Analyze(Model(backbone, "uper_net { channels = 16 }"), "test.geomodel").Spec);
        Assert.Equal(ComponentCatalog.Default.FindBackbone(backbone)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.IsType<TorchvisionConvNeXt>(model.Encoder);
    }

    [Theory]
    [InlineData("uper_net { channels = 16 }")]
    [InlineData("unet { channels = [32, 16, 16, 8] }")]
    [InlineData("fcn { channels = 16, num_convs = 1 }")]
    public void TheComposedModuleHasTheFrontEndsCountAndPredictsAtTheInputSize(string decoder)
    {
        var analysis = ModelSpecs.Analyze(Model("convnext_tiny", decoder), "test.geomodel");
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
        Assert.Contains("encoder.features.0.0.weight", model.state_dict().Keys);

        model.eval();
        using var _ = no_grad();
        Assert.Equal(new long[] { 2, 2, 64, 64 }, model.Predict(randn(2, 4, 64, 64)).Output.shape);
        Assert.Equal(new long[] { 1, 2, 50, 70 }, model.Predict(randn(1, 4, 50, 70)).Output.shape);
    }

    [Fact]
    public void OneTrainingStepOfTheWholeModelLowersTheLoss()
    {
        torch.manual_seed(1);
        using var model = new GeoModel(ModelSpecs.Analyze(Model("convnext_tiny", "uper_net { channels = 16 }"), "test.geomodel").Spec);
        using var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
        var x = randn(2, 4, 64, 64);
        var y = randint(0, 2, new long[] { 2, 64, 64 });
        var losses = new List<float>();
        for (var i = 0; i < 4; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.Predict(x).Output, y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], string.Join(", ", losses));
    }
}
