using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// The three layouts train on the CPU: a forward and backward pass on a tiny configuration gives finite gradients to every
/// weight the features use, an AdamW step moves them, and the fixed buffers stay fixed. torchvision's <c>norm</c> and
/// <c>head</c> (kept for checkpoints) take no part in the features and get no gradient.
/// </summary>
public sealed class SwinTrainingTests
{
    public static TheoryData<string> Layouts => new() { "torchvision v1", "torchvision v2", "satlas multi-image", "prithvi" };

    private static (nn.Module Model, Func<ChannelLastMapFeatures> Forward) Build(string layout)
    {
        var pixels = SwinTestModels.Pixels(2, 3, 64, 64);
        switch (layout)
        {
            case "torchvision v1":
            case "torchvision v2":
                var swin = new SwinTransformer(SwinTestModels.TinyShifted(v2: layout.EndsWith("v2", StringComparison.Ordinal)));
                return (swin, () => swin.call(new BackboneInput(pixels)));
            case "satlas multi-image":
                var satlas = new SatlasSwinTransformer(SwinTestModels.TinyShifted(v2: true) with { OutIndices = new[] { 1, 3, 5, 7 } }, multiImage: true);
                var frames = SwinTestModels.Pixels(2, 3, 2, 64, 64);
                return (satlas, () => satlas.call(new BackboneInput(frames)));
            default:
                var prithvi = new PrithviSwinTransformer(SwinTestModels.TinyShifted());
                return (prithvi, () => prithvi.call(new BackboneInput(pixels)));
        }
    }

    private static bool UnusedByTheFeatures(string name) =>
        name is "norm.weight" or "norm.bias" or "head.weight" or "head.bias"
        || name.StartsWith("swin_model.norm.", StringComparison.Ordinal) || name.StartsWith("swin_model.head.", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AForwardBackwardAndAdamWStepUpdatesEveryWeightTheFeaturesUse(string layout)
    {
        torch.manual_seed(5);
        var (model, forward) = Build(layout);
        using var owned = model;
        model.train();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var buffers = model.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.05);

        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = forward().Tensors.Select(t => t.square().mean()).Aggregate((a, b) => a + b);
            Assert.True(float.IsFinite(loss.item<float>()));
            loss.backward();
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (UnusedByTheFeatures(name))
                {
                    Assert.True(parameter.grad is null, $"{name} is not used by the features but got a gradient");
                    continue;
                }

                Assert.True(parameter.grad is not null, $"{name} got no gradient");
                Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            }

            optimizer.step();
        }

        foreach (var (name, parameter) in model.named_parameters().Where(p => !UnusedByTheFeatures(p.name)))
        {
            Assert.True(SwinTestModels.MaxAbsDifference(before[name], parameter) > 0f, $"{name} did not change");
        }

        foreach (var (name, buffer) in model.named_buffers())
        {
            Assert.True(buffer.eq(buffers[name]).all().item<bool>(), $"{name} changed");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void RepeatedStepsOnOneBatchLowerTheLoss(string layout)
    {
        torch.manual_seed(6);
        var (model, forward) = Build(layout);
        using var owned = model;
        model.train();
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 2e-4);
        var losses = new List<float>();
        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = (forward().Tensors[^1] - 1).square().mean();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"losses: {string.Join(", ", losses)}");
    }

    [Fact]
    public void StochasticDepthIsRandomInTrainingAndOffInEvaluation()
    {
        torch.manual_seed(7);
        using var model = new SwinTransformer(SwinTestModels.TinyShifted() with { StochasticDepth = 0.5 });
        var pixels = SwinTestModels.Pixels(4, 3, 32, 32);
        using var noGrad = torch.no_grad();

        model.train();
        var first = model.call(new BackboneInput(pixels))[^1];
        var second = model.call(new BackboneInput(pixels))[^1];
        Assert.True(SwinTestModels.MaxAbsDifference(first, second) > 0f);

        model.eval();
        Assert.Equal(0f, SwinTestModels.MaxAbsDifference(model.call(new BackboneInput(pixels))[^1], model.call(new BackboneInput(pixels))[^1]));
    }
}
