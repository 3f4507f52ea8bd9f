using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>The network trains on the CPU: gradients reach every weight; stochastic depth acts only in training.</summary>
public sealed class ConvNeXtTrainingTests
{
    [Fact]
    public void AForwardBackwardAndAdamWStepUpdatesEveryLearnableWeight()
    {
        torch.manual_seed(5);
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        model.train();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.05);

        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            var maps = model.call(new BackboneInput(ConvNeXtTestModels.Pixels(2, 3, 64, 64)));
            var loss = maps.Tensors.Select(t => t.square().mean()).Aggregate((a, b) => a + b);
            Assert.True(float.IsFinite(loss.item<float>()));
            loss.backward();
            foreach (var (name, parameter) in model.named_parameters())
            {
                Assert.True(parameter.grad is not null, $"{name} got no gradient");
                Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
                Assert.True(parameter.grad.abs().sum().item<float>() > 0f, $"{name} has a zero gradient");
            }

            optimizer.step();
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(ConvNeXtTestModels.MaxAbsDifference(before[name], parameter) > 0f, $"{name} did not change");
        }
    }

    [Fact]
    public void StochasticDepthRisesLinearlyOverTheBlocksAsTorchvisionsDoes()
    {
        // 5 blocks and rate 0.4: 0, 0.1, 0.2, 0.3, 0.4 (convnext.py: p · block_id / (total − 1)).
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { StochasticDepthProb = 0.4 });
        var rates = model.modules().OfType<CNBlock>().Select(b => Math.Round(b.StochasticDepthProb, 6));
        Assert.Equal(new[] { 0.0, 0.1, 0.2, 0.3, 0.4 }, rates);
    }

    [Fact]
    public void StochasticDepthIsRandomInTrainingAndOffInEvaluation()
    {
        torch.manual_seed(7);
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { StochasticDepthProb = 0.5, LayerScale = 1.0 });
        var input = new BackboneInput(ConvNeXtTestModels.Pixels(4, 3, 32, 32));
        using var noGrad = torch.no_grad();

        model.train();
        var a = model.call(input)[^1];
        var b = model.call(input)[^1];
        Assert.True(ConvNeXtTestModels.MaxAbsDifference(a, b) > 1e-4f);

        model.eval();
        Assert.Equal(0f, ConvNeXtTestModels.MaxAbsDifference(model.call(input)[^1], model.call(input)[^1]));
    }
}
