using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ResNet;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// The front end's closed-form count equals the runtime module's for every ResNet in the catalog (real size, built on
/// the meta device), and the torchvision layouts with their 1000-class <c>fc</c> have torchvision's exact counts:
/// backbone-facts.md "Verified parameter counts" (torchvision 0.14.1) for ResNet-18/50/101, and for ResNet-152 the
/// count bench/tools/dump_state_dict_keys.py recorded in bench/keys/resnet152.txt (Debian torchvision 0.14.1).
/// </summary>
public sealed class ResNetParameterCountTests
{
    public static TheoryData<string> Variants() => new(ResNetVariants.All.Select(v => v.Name));

    public static TheoryData<int, long> Torchvision => new()
    {
        { 18, 11_689_512 },
        { 50, 25_557_032 },
        { 101, 44_549_160 },
        { 152, 60_192_808 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheFrontEndCountsExactlyTheParametersTheRuntimeBuilds(string name)
    {
        var descriptor = ResNetTestModels.Descriptor(name);
        var input = ResNetTestModels.InputFor(descriptor.PretrainedBands, descriptor.DefaultImageSize);
        var args = ResNetTestModels.DefaultArgs(descriptor);
        using var encoder = new ResNetEncoder(ResNetOptions.For(descriptor.Resolve(input, args)), name, device: torch.META);
        Assert.Equal(descriptor.CountParameters(input, args), encoder.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Torchvision))]
    public void WithAThousandClassClassifierTheCountIsTorchvisions(int depth, long expected)
    {
        using var model = new ResNetEncoder(ResNetOptions.ForDepth(depth) with { NumClasses = 1000 }, device: torch.META);
        Assert.Equal(expected, model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Torchvision))]
    public void TheFrontEndsClosedFormWithAClassifierIsTorchvisionsCount(int depth, long expected)
    {
        var descriptor = new ResNetBackbone(new ResNetVariant("resnet" + depth, depth, ResNetVariants.ImageNetRgb, ResNetWeights.ImageNet, false, false, 224, "test"));
        var input = ResNetTestModels.InputFor(ResNetVariants.ImageNetRgb, 224);
        var architecture = descriptor.Resolve(input, ResNetTestModels.DefaultArgs(descriptor));
        Assert.Equal(expected, ResNetBackbone.CountParameters(architecture, classes: 1000));
    }

    [Fact]
    public void TheFeatureExtractorOfResNet50Has23508032Parameters()
    {
        // 25,557,032 − fc (2048·1000 + 1000); backbone-facts.md B (HF microsoft/resnet-50 w/o fc, 23,508,032).
        using var model = new ResNetEncoder(ResNetOptions.ForDepth(50), device: torch.META);
        Assert.Equal(23_508_032, model.ParameterCount());
    }

    [Fact]
    public void ExtraBandsOnlyWidenTheStemConvolution()
    {
        // 13 S2 L1C bands instead of RGB: conv1 grows by 10 · 64 · 7 · 7 = 31,360 weights.
        using var rgb = new ResNetEncoder(ResNetOptions.ForDepth(50), device: torch.META);
        using var s2 = new ResNetEncoder(ResNetOptions.ForDepth(50) with { InChannels = 13 }, device: torch.META);
        Assert.Equal(31_360, s2.ParameterCount() - rgb.ParameterCount());
    }

    [Fact]
    public void BatchNormStatisticsAreBuffersNotParameters()
    {
        using var model = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.DoesNotContain("bn1.running_mean", parameters);
        Assert.Contains("bn1.running_mean", model.named_buffers().Select(b => b.name));
        Assert.Contains("bn1.weight", parameters);
    }
}
