using GeoDsl.Runtime.Backbones.Dofa;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>A forward and backward step on a tiny DOFA: gradients reach the hypernetwork and the blocks, not the fixed table.</summary>
public sealed class DofaTrainingTests
{
    [Fact]
    public void ABackwardStepGivesFiniteGradientsToTheHypernetworkAndTheBlocks()
    {
        torch.manual_seed(7);
        using var model = new DofaViT(DofaTestModels.Tiny() with { DropPath = 0.1 });
        model.train();

        var loss = model.Encode(DofaTestModels.Pixels(2, 3, 32, 32)).At(-1).pow(2).mean();
        loss.backward();

        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var name in new[] { "patch_embed.weight_generator.fc_weight.weight", "patch_embed.weight_generator.weight_tokens",
                     "patch_embed.weight_generator.transformer_encoder.layers.0.self_attn.in_proj_weight", "patch_embed.fclayer.w1.weight",
                     "cls_token", "blocks.1.mlp.fc2.weight" })
        {
            Assert.True(grads[name] is not null, $"{name} has no gradient");
            Assert.True(grads[name]!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grads[name]!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }

        Assert.False(model.state_dict()["pos_embed"].requires_grad);
    }

    [Fact]
    public void AnOptimizerStepLowersTheLossOnAFixedBatch()
    {
        torch.manual_seed(8);
        using var model = new DofaViT(DofaTestModels.Tiny());
        var pixels = DofaTestModels.Pixels(2, 3, 32, 32);
        var target = torch.zeros(2, 5, 32);
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
