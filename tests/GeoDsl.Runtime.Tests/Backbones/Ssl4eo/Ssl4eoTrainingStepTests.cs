using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>A forward and backward step reaches every learnable tensor except the final norm, which forward_intermediates(norm=False) skips.</summary>
public sealed class Ssl4eoTrainingStepTests
{
    [Fact]
    public void EveryParameterButTheUnusedNormGetsAGradient()
    {
        torch.manual_seed(1);
        using var encoder = new Ssl4eoViT(Ssl4eoTestModels.Tiny() with { DropPathRate = 0.1 });
        encoder.train();

        var features = encoder.call(new BackboneInput(MaeTestSupport.Pixels(2, 13, 48, 48)));
        features.Tensors.Select(t => t.square().mean()).Aggregate((a, b) => a + b).backward();

        foreach (var (name, parameter) in encoder.named_parameters())
        {
            bool hasGradient = parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0;
            Assert.True(hasGradient != name.StartsWith("norm.", StringComparison.Ordinal), $"{name}: gradient {hasGradient}");
        }
    }
}
