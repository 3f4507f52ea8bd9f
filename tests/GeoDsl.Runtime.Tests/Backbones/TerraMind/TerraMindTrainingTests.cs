using GeoDsl.Runtime.Backbones.TerraMind;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>A forward and backward step through tiny encoders: gradients reach every learnable tensor, and steps lower a loss.</summary>
public sealed class TerraMindTrainingTests
{
    [Theory]
    [InlineData("terramind_v1_tiny", "mean")]
    [InlineData("terramind_v1_base", "max")]
    [InlineData("terramind_v1_base", "concat")]
    public void ABackwardPassReachesEveryLearnableTensor(string variant, string merge)
    {
        // No stochastic depth: with a batch of 2 it can drop a block's branch for both samples (1 in 100 at rate 0.1),
        // which leaves that block's weights without gradient, and other tests share torch's global generator.
        torch.manual_seed(1);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny(variant, merge) with { DropPathRate = 0 });
        model.train();
        using var scope = torch.NewDisposeScope();

        var features = model.Encode(TerraMindTestModels.Pixels(2, 5, 32, 32));
        var loss = features.Tensors.Select(t => t.pow(2).mean()).Aggregate((a, b) => a + b);
        loss.backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name == "missing_mod_token")
            {
                Assert.True(parameter.grad is null, "every declared modality is present, so the padding token is unused");
                continue;
            }

            Assert.True(parameter.grad is not null, $"{name} got no gradient");
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{name} got a zero gradient");
        }
    }

    [Fact]
    public void AdamWStepsLowerARegressionLoss()
    {
        torch.manual_seed(2);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_small"));
        model.train();
        var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3);
        var pixels = TerraMindTestModels.Pixels(2, 5, 32, 32);
        var target = torch.randn(new long[] { 2, 4, 32 }, generator: new Generator(3));

        float first = 0, last = 0;
        for (int step = 0; step < 8; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = (model.Encode(pixels)[^1] - target).pow(2).mean();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(last < first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void DropPathGrowsLinearlyOverTheBlocksAndIsOffInEvaluation()
    {
        torch.manual_seed(3);
        using var model = new TerraMindViT(TerraMindTestModels.Tiny() with { EncoderDepth = 3, DropPathRate = 0.5 });
        var rates = model.modules().OfType<GeoDsl.Runtime.Backbones.TimmDropPath>().Select(d => d.Rate).ToArray();
        Assert.Equal(new[] { 0.25, 0.5 }, rates); // block 0 gets 0 and so no drop-path layer

        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = TerraMindTestModels.Pixels(1, 5, 32, 32);
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(model.Encode(pixels)[^1], model.Encode(pixels)[^1]));
    }
}
