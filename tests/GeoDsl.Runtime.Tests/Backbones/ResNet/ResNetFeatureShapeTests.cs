using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// Every returned level has the shape the front end infers: a real ResNet-50 at the default size, and at other sizes
/// networks of the entry's depth with an eighth of the width (the same strides; channels scale with the width).
/// Odd sizes round up at every stride, as torchvision's convolutions do.
/// </summary>
public sealed class ResNetFeatureShapeTests
{
    public static TheoryData<string, int, int, int> Cases => new()
    {
        { "resnet50", 224, 224, 64 },
        { "resnet18", 224, 224, 8 },
        { "resnet18", 96, 160, 8 },
        { "resnet101", 96, 160, 8 },
        { "satlas_resnet152_sentinel2_si_ms_satlas", 256, 256, 8 },
        { "satlas_resnet50_sentinel2_mi_rgb_satlas", 128, 96, 8 },
        { "ssl4eos12_resnet18_sentinel2_all_moco", 64, 128, 8 },
        { "ssl4eol_resnet50_landsat_etm_toa_simclr", 224, 224, 8 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryLevelHasTheShapeTheFrontEndInfers(string name, int height, int width, int baseWidth)
    {
        var descriptor = ResNetTestModels.Descriptor(name);
        var input = ResNetTestModels.InputFor(descriptor.PretrainedBands, height) with { Width = width };
        var args = ResNetTestModels.DefaultArgs(descriptor);
        var context = new ShapeContext(input, ModelTask.Segmentation, "input", (_, _, _) => Assert.Fail("unexpected diagnostic"));
        var inferred = descriptor.Infer(input, args, context)!;

        using var encoder = new ResNetEncoder(ResNetOptions.For(descriptor.Resolve(input, args)) with { BaseWidth = baseWidth }, name);
        encoder.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var features = encoder.call(new BackboneInput(ResNetTestModels.Pixels(1, input.Channels, height, width)));

        Assert.Equal(FeatureKind.Maps, inferred.Kind);
        Assert.Equal(inferred.Count, features.Count);
        for (int i = 0; i < features.Count; i++)
        {
            var dims = inferred.Tensors[i].Dims;
            Assert.Equal(new long[] { 1, dims[0] * baseWidth / 64, dims[1], dims[2] }, features[i].shape);
        }
    }

    [Fact]
    public void AResNet50At224GivesTheFiveLevelsOfTimmsFeatureExtraction()
    {
        var descriptor = ResNetTestModels.Descriptor("resnet50");
        var input = ResNetTestModels.InputFor(descriptor.PretrainedBands, 224);
        var context = new ShapeContext(input, ModelTask.Segmentation, "input", (_, _, _) => Assert.Fail("unexpected diagnostic"));
        var shapes = descriptor.Infer(input, ResNetTestModels.DefaultArgs(descriptor), context)!;
        Assert.Equal(new[] { "B×64×112×112", "B×256×56×56", "B×512×28×28", "B×1024×14×14", "B×2048×7×7" }, shapes.Tensors.Select(t => t.ToString()));
    }

    [Fact]
    public void OddSizesRoundUpAtEveryStride()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        encoder.eval();
        using var noGrad = torch.no_grad();
        var features = encoder.call(new BackboneInput(ResNetTestModels.Pixels(1, 3, 100, 150)));
        var sizes = features.Tensors.Select(t => (t.shape[2], t.shape[3])).ToArray();
        Assert.Equal(new[] { (50L, 75L), (25L, 38L), (13L, 19L), (7L, 10L), (4L, 5L) }, sizes);
    }

    [Fact]
    public void ChannelsDoubleFromLayer1OnAndBottlenecksExpandFourfold()
    {
        using var basic = new ResNetEncoder(ResNetTestModels.TinyBasic());
        using var bottleneck = new ResNetEncoder(ResNetTestModels.TinyBottleneck());
        Assert.Equal(new[] { 8, 8, 16, 32, 64 }, basic.OutChannels);
        Assert.Equal(new[] { 4, 16, 32, 64, 128 }, bottleneck.OutChannels);
    }

    [Fact]
    public void TheClassifierGivesOneLogitPerClassWhateverTheImageSize()
    {
        using var model = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { NumClasses = 7 });
        model.eval();
        using var noGrad = torch.no_grad();
        Assert.Equal(new long[] { 2, 7 }, model.Classify(ResNetTestModels.Pixels(2, 3, 45, 61)).shape);
    }
}
