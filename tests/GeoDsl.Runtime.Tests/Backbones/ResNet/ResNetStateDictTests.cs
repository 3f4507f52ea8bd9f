using GeoDsl.Runtime.Backbones.ResNet;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// State-dict keys and shapes equal torchvision's (bench/keys/resnet{18,50,101,152}.txt, written from Debian's
/// torchvision 0.14.1 by bench/tools/dump_state_dict_keys.py), so torchvision, timm and torchgeo checkpoints load by
/// name. Built on the meta device: only names and shapes are compared. The order is not: TorchSharp lists a module's
/// parameters before its buffers, where PyTorch interleaves them module by module; loading matches by name.
/// </summary>
public sealed class ResNetStateDictTests
{
    public static TheoryData<int> Depths => new() { 18, 50, 101, 152 };

    private static void AssertSameEntries(IEnumerable<(string Key, long[] Shape)> expected, ResNetEncoder model)
    {
        var actual = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var wanted = expected.ToDictionary(e => e.Key, e => e.Shape);
        Assert.Equal(wanted.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in wanted)
        {
            Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", actual[key])}]");
        }
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void TheKeysAndShapesEqualTorchvisionsWithTheClassifier(int depth)
    {
        using var model = new ResNetEncoder(ResNetOptions.ForDepth(depth) with { NumClasses = 1000 }, device: torch.META);
        AssertSameEntries(ResNetTestModels.KeyList("resnet" + depth), model);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void TheFeatureExtractorIsTorchvisionsStateDictWithoutFc(int depth)
    {
        using var model = new ResNetEncoder(ResNetOptions.ForDepth(depth), device: torch.META);
        AssertSameEntries(ResNetTestModels.KeyList("resnet" + depth).Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal)), model);
    }

    [Fact]
    public void OtherBandCountsChangeOnlyTheStemConvolutionsInputChannels()
    {
        using var model = new ResNetEncoder(ResNetOptions.ForDepth(50) with { InChannels = 9 }, device: torch.META);
        var expected = ResNetTestModels.KeyList("resnet50")
            .Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal))
            .Select(e => e.Key == "conv1.weight" ? (e.Key, new long[] { 64, 9, 7, 7 }) : e);
        AssertSameEntries(expected, model);
    }

    [Fact]
    public void StochasticDepthAddsNoStateDictEntries()
    {
        using var plain = new ResNetEncoder(ResNetTestModels.TinyBottleneck());
        using var dropping = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { DropPathRate = 0.2 });
        Assert.Equal(plain.state_dict().Keys, dropping.state_dict().Keys);
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { NumClasses = 5 });
        torch.manual_seed(4);
        using var target = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { NumClasses = 5 });
        source.eval();
        target.eval();
        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var noGrad = torch.no_grad();
        var pixels = ResNetTestModels.Pixels(2, 3, 40, 40);
        Assert.Equal(0f, ResNetTestModels.MaxAbsDifference(source.Classify(pixels), target.Classify(pixels)));
        var a = source.call(new Features.BackboneInput(pixels));
        var b = target.call(new Features.BackboneInput(pixels));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, ResNetTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
