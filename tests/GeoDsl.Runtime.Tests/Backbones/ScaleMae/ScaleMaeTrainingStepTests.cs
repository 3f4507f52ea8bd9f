using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>A forward and backward step reaches every learnable tensor except the final norm, which TerraTorch's forward never uses.</summary>
public sealed class ScaleMaeTrainingStepTests
{
    [Fact]
    public void EveryParameterButTheUnusedNormGetsAGradient()
    {
        torch.manual_seed(1);
        using var encoder = new ScaleMaeViT(ScaleMaeTestModels.Tiny() with { DropPathRate = 0.1 });
        encoder.train();

        var features = encoder.call(new BackboneInput(MaeTestSupport.Pixels(2, 3, 32, 32)));
        (features[0].square().mean() + features[1].square().mean()).backward();

        foreach (var (name, parameter) in encoder.named_parameters())
        {
            bool hasGradient = parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0;
            Assert.True(hasGradient != name.StartsWith("norm.", StringComparison.Ordinal), $"{name}: gradient {hasGradient}");
        }
    }
}
