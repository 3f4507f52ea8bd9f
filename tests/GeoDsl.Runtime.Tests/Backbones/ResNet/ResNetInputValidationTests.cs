using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Features;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>Wrong inputs and inconsistent options fail with messages that name the expected layout or the rule.</summary>
public sealed class ResNetInputValidationTests
{
    [Fact]
    public void AWrongBandCountNamesTheExpectedLayoutAndTheActualShape()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic(inChannels: 4), "ssl4eo_test");
        var error = Assert.Throws<ArgumentException>(() => encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 32, 32))));
        Assert.Contains("[B, 4, H, W]", error.Message);
        Assert.Contains("[2, 3, 32, 32]", error.Message);
    }

    [Fact]
    public void AThreeDimensionalTensorIsNotAnImageBatch()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        Assert.Throws<ArgumentException>(() => encoder.call(new BackboneInput(ResNetTestModels.Pixels(3, 32, 32))));
    }

    [Fact]
    public void ClassifyingNeedsAClassifier()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var error = Assert.Throws<InvalidOperationException>(() => encoder.Classify(ResNetTestModels.Pixels(1, 3, 32, 32)));
        Assert.Contains("NumClasses", error.Message);
    }

    [Fact]
    public void EveryProblemWithTheOptionsIsListedAtOnce()
    {
        var options = new ResNetOptions { Block = ResNetBlock.Basic, Layers = new[] { 2, 2, 2 }, InChannels = 0, DropPathRate = 1.0 };
        var problems = options.Problems();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("in_chans", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("4 stages", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("drop_path_rate", StringComparison.Ordinal));
    }
}
