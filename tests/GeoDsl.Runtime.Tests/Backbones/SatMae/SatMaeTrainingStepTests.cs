using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>A forward and backward step on small encoders reaches every learnable tensor, the embedding tables included.</summary>
public sealed class SatMaeTrainingStepTests
{
    [Fact]
    public void EveryGroupChannelParameterGetsAGradient()
    {
        torch.manual_seed(1);
        using var encoder = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups() with { DropPathRate = 0.1 });
        encoder.train();

        var features = encoder.call(new BackboneInput(MaeTestSupport.Pixels(2, 10, 32, 32)));
        features.Tensors.Aggregate((Tensor?)null, (sum, t) => sum is null ? t.square().mean() : sum + t.square().mean())!.backward();

        foreach (var (name, parameter) in encoder.named_parameters())
        {
            Assert.True(parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0, $"{name} received no gradient");
        }
    }

    [Fact]
    public void EveryTemporalParameterGetsAGradientWithTimestamps()
    {
        torch.manual_seed(1);
        using var encoder = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal());
        encoder.train();
        var times = torch.tensor(new float[] { 15, 2, 10, 16, 7, 14, 17, 11, 9 }, new long[] { 1, 3, 3 });

        var features = encoder.call(new BackboneInput(MaeTestSupport.Pixels(1, 3, 3, 32, 32), times));
        features[^1].square().mean().backward();

        foreach (var (name, parameter) in encoder.named_parameters())
        {
            Assert.True(parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0, $"{name} received no gradient");
        }
    }
}
