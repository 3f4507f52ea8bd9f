using GeoDsl.Runtime.Backbones.Clay;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>A forward and backward step on a tiny Clay: gradients reach the weight generator and the transformer.</summary>
public sealed class ClayTrainingTests
{
    [Fact]
    public void ABackwardStepGivesFiniteGradientsToTheGeneratorAndTheTransformer()
    {
        torch.manual_seed(9);
        using var model = new ClayEncoder(ClayTestModels.Tiny());
        model.train();

        var loss = model.Encode(ClayTestModels.Pixels(2, 3, 32, 32))[0].pow(2).mean();
        loss.backward();

        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var name in new[] { "cls_token", "patch_embedding.weight_generator.fc_weight.weight", "patch_embedding.weight_generator.bias_token",
                     "patch_embedding.weight_generator.encoder.layers.0.linear1.weight", "patch_embedding.fclayer.l2.weight",
                     "transformer.layers.0.0.to_qkv.weight", "transformer.layers.1.1.net.3.weight", "transformer.norm.weight" })
        {
            Assert.True(grads[name] is not null, $"{name} has no gradient");
            Assert.True(grads[name]!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grads[name]!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }

    [Fact]
    public void AnOptimizerStepLowersTheLossOnAFixedBatch()
    {
        torch.manual_seed(10);
        using var model = new ClayEncoder(ClayTestModels.Tiny());
        var pixels = ClayTestModels.Pixels(2, 3, 32, 32);
        var target = torch.zeros(2, 17, 32);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);

        float Step()
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.Encode(pixels)[0], target);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        var first = Step();
        for (var i = 0; i < 4; i++)
        {
            Step();
        }

        Assert.True(Step() < first);
    }
}
