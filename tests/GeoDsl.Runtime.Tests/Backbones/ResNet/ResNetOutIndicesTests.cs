using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Features;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// <c>out_indices</c> picks levels (0 = stem, 1..4 = layer1..layer4): all five by default for the generic ResNets (timm's
/// features_only), only the last for TerraTorch's torchgeo entries (its wrapper's default [-1]); negative indices count
/// from the end, and levels come back in network order without repeats, as both TerraTorch and timm return them.
/// </summary>
public sealed class ResNetOutIndicesTests
{
    [Fact]
    public void TheGenericResNetsReturnAllFiveLevelsByDefault()
    {
        var descriptor = ResNetTestModels.Descriptor("resnet50");
        var architecture = descriptor.Resolve(ResNetTestModels.InputFor(descriptor.PretrainedBands, 224), ResNetTestModels.DefaultArgs(descriptor));
        using var encoder = new ResNetEncoder(ResNetOptions.For(architecture), device: torch.META);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, encoder.OutIndices);
        Assert.Equal(new[] { 64, 256, 512, 1024, 2048 }, encoder.OutChannels);
    }

    [Theory]
    [InlineData("satlas_resnet152_sentinel2_mi_ms")]
    [InlineData("ssl4eos12_resnet18_sentinel2_rgb_moco")]
    [InlineData("ssl4eol_resnet50_landsat_oli_sr_simclr")]
    public void TerraTorchsTorchgeoEntriesReturnOnlyTheLastLevelByDefault(string name)
    {
        var descriptor = ResNetTestModels.Descriptor(name);
        var architecture = descriptor.Resolve(ResNetTestModels.InputFor(descriptor.PretrainedBands, 224), ResNetTestModels.DefaultArgs(descriptor));
        using var encoder = new ResNetEncoder(ResNetOptions.For(architecture), device: torch.META);
        Assert.Equal(new[] { 4 }, encoder.OutIndices);
        Assert.Equal(new[] { descriptor.Variant.Depth == 18 ? 512 : 2048 }, encoder.OutChannels);
    }

    [Fact]
    public void NegativeRepeatedAndUnorderedIndicesGiveAscendingDistinctLevels()
    {
        var descriptor = ResNetTestModels.Descriptor("resnet18");
        var args = ResNetTestModels.Args(descriptor, ("out_indices", ResNetTestModels.Ints(-1, 0, 2, 2, -3)));
        Assert.Equal(new[] { 0, 2, 4 }, descriptor.Resolve(ResNetTestModels.InputFor(descriptor.PretrainedBands, 64), args).OutIndices);
        Assert.Equal(new[] { 0, 2, 4 }, (ResNetTestModels.TinyBasic() with { OutIndices = new[] { -1, 0, 2, 2, -3 } }).ResolvedOutIndices);
    }

    [Fact]
    public void OnlyTheSelectedLevelsAreReturned()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic() with { OutIndices = new[] { 1, 3 } });
        encoder.eval();
        using var noGrad = torch.no_grad();
        var features = encoder.call(new BackboneInput(ResNetTestModels.Pixels(1, 3, 64, 64)));
        Assert.Equal(new[] { "1×8×16×16", "1×32×4×4" }, features.Tensors.Select(t => string.Join("×", t.shape)));
    }

    [Fact]
    public void AnEarlyLevelIsTheSameWhetherOrNotLaterStagesRun()
    {
        torch.manual_seed(5);
        using var all = new ResNetEncoder(ResNetTestModels.TinyBasic());
        using var stemOnly = new ResNetEncoder(ResNetTestModels.TinyBasic() with { OutIndices = new[] { 0 } });
        stemOnly.load_state_dict(all.state_dict());
        all.eval();
        stemOnly.eval();
        using var noGrad = torch.no_grad();
        var pixels = ResNetTestModels.Pixels(1, 3, 32, 32);
        Assert.Equal(0f, ResNetTestModels.MaxAbsDifference(all.call(new BackboneInput(pixels))[0], stemOnly.call(new BackboneInput(pixels))[0]));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-6)]
    public void AnIndexBeyondTheFiveLevelsIsRejectedWithTheAllowedRange(int index)
    {
        var error = Assert.Throws<ArgumentException>(() => new ResNetEncoder(ResNetTestModels.TinyBasic() with { OutIndices = new[] { index } }));
        Assert.Contains("allowed -5..4", error.Message);
    }
}
