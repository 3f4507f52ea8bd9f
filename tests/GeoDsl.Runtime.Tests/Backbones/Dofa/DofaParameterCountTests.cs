using GeoDsl.Runtime.Backbones.Dofa;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// The published encoders, built on the meta device, have exactly the learnable parameters the front end computes in
/// closed form and the torch 1.13 restatement of torchgeo's DOFA counts (bench/keys/dofa_*.txt headers). The count does
/// not depend on the bands: the patch weights are generated from the wavelengths.
/// </summary>
public sealed class DofaParameterCountTests
{
    public static TheoryData<string, long> Published => new()
    {
        { "dofa_small_patch16_224", 34_667_264 },
        { "dofa_base_patch16_224", 111_159_296 },
        { "dofa_large_patch16_224", 336_901_632 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void ThePublishedEncoderHasTheExactLearnableParameterCount(string name, long expected)
    {
        using var model = new DofaViT(DofaTestModels.Published(name), name, device: torch.META);

        Assert.Equal(expected, model.TrainableCount());
        Assert.Equal(expected, DofaTestModels.KeyListLearnableCount(name));
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void TheFrontEndCountsTheSameForTheCatalogEntry(string name, long expected)
    {
        var analysis = DofaTestModels.Analyze(DofaTestModels.Model(name, bands: "RED, GREEN, BLUE, NIR_BROAD", size: "224", arguments: ""));

        Assert.Equal(expected, analysis.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void TwoBandsAndNineBandsHaveTheSameParameters()
    {
        using var nine = new DofaViT(DofaTestModels.Published("dofa_base_patch16_224"), device: torch.META);
        using var two = new DofaViT(DofaTestModels.Published("dofa_base_patch16_224") with { Wavelengths = new[] { 5.405, 5.405 } }, device: torch.META);

        Assert.Equal(nine.TrainableCount(), two.TrainableCount());
    }

    [Fact]
    public void PosEmbedIsAFixedBufferAndNotALearnableParameter()
    {
        using var model = new DofaViT(DofaTestModels.Tiny());

        Assert.DoesNotContain("pos_embed", model.named_parameters().Select(p => p.name));
        Assert.Contains("pos_embed", model.named_buffers().Select(b => b.name));
        Assert.False(model.state_dict()["pos_embed"].requires_grad);
    }
}
