using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>The encoder trains on the CPU: gradients reach every learnable weight; dropout acts only in training.</summary>
public sealed class VisionTransformerTrainingTests
{
    [Fact]
    public void AForwardBackwardAndAdamWStepUpdatesEveryLearnableWeight()
    {
        torch.manual_seed(5);
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2));
        model.train();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.05);

        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            var features = model.call(new BackboneInput(VisionTransformerTestModels.Pixels(2, 3, 16, 16)));
            var loss = features.Tensors.Select(t => t.square().mean()).Aggregate((a, b) => a + b);
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
            Assert.True(VisionTransformerTestModels.MaxAbsDifference(before[name], parameter) > 0f, $"{name} did not change");
        }
    }

    [Fact]
    public void DropoutIsRandomInTrainingAndOffInEvaluation()
    {
        torch.manual_seed(7);
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2) with { Dropout = 0.3, AttentionDropout = 0.3 });
        var input = new BackboneInput(VisionTransformerTestModels.Pixels(2, 3, 16, 16));
        using var noGrad = torch.no_grad();

        model.train();
        var a = model.call(input)[^1];
        var b = model.call(input)[^1];
        Assert.True(VisionTransformerTestModels.MaxAbsDifference(a, b) > 1e-4f);

        model.eval();
        var c = model.call(input)[^1];
        var d = model.call(input)[^1];
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(c, d));
    }
}
