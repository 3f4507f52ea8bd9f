using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>Forward and backward on tiny networks: every weight learns, batch norms track statistics, stochastic depth follows timm.</summary>
public sealed class ResNetTrainingTests
{
    [Fact]
    public void OneForwardBackwardStepGivesEveryParameterAGradient()
    {
        torch.manual_seed(11);
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBottleneck(inChannels: 5) with { DropPathRate = 0.1 });
        encoder.train();
        var features = encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 5, 48, 48)));
        var loss = features.Tensors.Select(f => f.pow(2).mean()).Aggregate((a, b) => a + b);
        loss.backward();
        foreach (var (name, parameter) in encoder.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
        }
    }

    [Fact]
    public void TrainingUpdatesTheBatchNormStatisticsAndEvaluationDoesNot()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var before = encoder.state_dict()["bn1.running_mean"].clone();
        encoder.train();
        using (torch.no_grad())
        {
            encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 32, 32) + 3));
        }

        var trained = encoder.state_dict()["bn1.running_mean"].clone();
        Assert.False(before.equal(trained).all().item<bool>());
        Assert.Equal(1L, encoder.state_dict()["bn1.num_batches_tracked"].item<long>());

        encoder.eval();
        using (torch.no_grad())
        {
            encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 32, 32)));
        }

        Assert.True(trained.equal(encoder.state_dict()["bn1.running_mean"]).all().item<bool>());
    }

    [Fact]
    public void StochasticDepthRisesLinearlyOverTheBlocksAsInTimm()
    {
        // timm resnet.py make_blocks: block k of n gets drop_path_rate · k / (n − 1); a zero rate builds no DropPath.
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { DropPathRate = 0.2 });
        var rates = encoder.modules().OfType<TimmDropPath>().Select(d => d.Rate).ToArray();
        Assert.Equal(new[] { 0.05, 0.1, 0.15, 0.2 }, rates.Select(r => Math.Round(r, 10)));
    }

    [Fact]
    public void AFewStepsLowerTheClassificationLossOnAFixedBatch()
    {
        torch.manual_seed(1);
        using var model = new ResNetEncoder(ResNetTestModels.TinyBasic() with { NumClasses = 3 });
        var optimizer = torch.optim.AdamW(model.parameters(), 1e-2);
        var x = ResNetTestModels.Pixels(4, 3, 32, 32);
        var y = torch.tensor(new long[] { 0, 1, 2, 1 });
        float Loss() => nn.functional.cross_entropy(model.Classify(x), y).item<float>();
        model.train();
        float before = Loss();
        for (int i = 0; i < 5; i++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.Classify(x), y).backward();
            optimizer.step();
        }

        Assert.True(Loss() < before);
    }
}
