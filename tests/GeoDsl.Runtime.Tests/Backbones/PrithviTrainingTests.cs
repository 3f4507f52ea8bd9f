using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>The encoder trains on the CPU: gradients reach every learnable weight, the fixed table stays fixed.</summary>
public sealed class PrithviTrainingTests
{
    private static BackboneInput TinyInput()
    {
        var pixels = PrithviTestModels.Pixels(2, 3, 2, 8, 8);
        var time = torch.tensor(new float[] { 2020, 100, 2020, 116, 2021, 5, 2021, 21 }, new long[] { 2, 2, 2 });
        var location = torch.tensor(new float[] { 47.5f, 8.2f, -12f, 130f }, new long[] { 2, 2 });
        return new BackboneInput(pixels, time, location);
    }

    [Fact]
    public void AForwardBackwardAndAdamWStepUpdatesEveryLearnableWeightButNotThePositionTable()
    {
        torch.manual_seed(5);
        // No drop path here: a dropped branch gives its weights an exact zero gradient, which is right but not this test.
        using var model = new PrithviViT(PrithviTestModels.TinyTl());
        model.train();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var table = model.state_dict()["pos_embed"].clone();
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.05);

        float firstLoss;
        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            var features = model.call(TinyInput());
            var loss = features.Tensors.Select(t => t.square().mean()).Aggregate((a, b) => a + b);
            firstLoss = loss.item<float>();
            loss.backward();
            foreach (var (name, parameter) in model.named_parameters())
            {
                Assert.True(parameter.grad is not null, $"{name} got no gradient");
                Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            }

            optimizer.step();
        }

        Assert.True(float.IsFinite(firstLoss));
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(PrithviTestModels.MaxAbsDifference(before[name], parameter) > 0f, $"{name} did not change");
        }

        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(table, model.state_dict()["pos_embed"]));
    }

    [Fact]
    public void RepeatedStepsOnOneBatchLowerTheLoss()
    {
        torch.manual_seed(6);
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        model.train();
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3);
        var input = TinyInput();
        var target = torch.zeros(2, 9, 32);
        var losses = new List<float>();
        for (var step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = (model.call(input)[^1][.., .., ..8] - target[.., .., ..8]).square().mean();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"losses: {string.Join(", ", losses)}");
    }

    [Fact]
    public void DropPathIsRandomInTrainingAndOffInEvaluation()
    {
        torch.manual_seed(8);
        using var model = new PrithviViT(PrithviTestModels.Tiny() with { DropPath = 0.5 });
        var input = new BackboneInput(PrithviTestModels.Pixels(4, 3, 2, 8, 8));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();

        model.train();
        var a = model.call(input)[^1];
        var b = model.call(input)[^1];
        Assert.True(PrithviTestModels.MaxAbsDifference(a, b) > 1e-4f);

        model.eval();
        var c = model.call(input)[^1];
        var d = model.call(input)[^1];
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(c, d));
    }
}
