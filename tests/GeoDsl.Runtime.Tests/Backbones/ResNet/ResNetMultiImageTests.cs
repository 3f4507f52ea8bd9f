using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// Satlas multi-image variants encode each image of [B, C, T, H, W] and max-pool every level over T
/// (allenai/satlaspretrain_models README "Model Structure"; <c>AggregationBackbone</c> with aggregation_op 'max').
/// Single-image encoders take one frame only.
/// </summary>
public sealed class ResNetMultiImageTests
{
    [Fact]
    public void EachLevelIsTheMaximumOverTheImagesOfItsPerImageFeatures()
    {
        torch.manual_seed(2);
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBottleneck() with { MultiImage = true });
        encoder.eval();
        using var noGrad = torch.no_grad();
        var series = ResNetTestModels.Pixels(2, 3, 3, 32, 32);
        var pooled = encoder.call(new BackboneInput(series));

        var perImage = Enumerable.Range(0, 3).Select(t => encoder.call(new BackboneInput(series.select(2, t)))).ToArray();
        for (int level = 0; level < pooled.Count; level++)
        {
            var expected = torch.stack(perImage.Select(f => f[level]), dim: 1).amax(new long[] { 1 });
            Assert.True(ResNetTestModels.MaxAbsDifference(expected, pooled[level]) < 1e-5f, $"level {level}");
        }
    }

    [Fact]
    public void SeveralImagesGiveTheSameShapesAsOne()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic() with { MultiImage = true });
        encoder.eval();
        using var noGrad = torch.no_grad();
        var one = encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 32, 48)));
        var four = encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 4, 32, 48)));
        Assert.Equal(one.Tensors.Select(t => t.shape), four.Tensors.Select(t => t.shape));
    }

    [Fact]
    public void AOneFrameSeriesEqualsTheImageItself()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        encoder.eval();
        using var noGrad = torch.no_grad();
        var image = ResNetTestModels.Pixels(1, 3, 32, 32);
        var a = encoder.call(new BackboneInput(image));
        var b = encoder.call(new BackboneInput(image.unsqueeze(2)));
        for (int level = 0; level < a.Count; level++)
        {
            Assert.Equal(0f, ResNetTestModels.MaxAbsDifference(a[level], b[level]));
        }
    }

    [Fact]
    public void ASingleImageEncoderRejectsSeveralFramesAndSaysWhatItTakes()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic(), "resnet18");
        var error = Assert.Throws<ArgumentException>(() => encoder.call(new BackboneInput(ResNetTestModels.Pixels(1, 3, 2, 32, 32))));
        Assert.Contains("resnet18", error.Message);
        Assert.Contains("one image per sample", error.Message);
        Assert.Contains("[1, 3, 2, 32, 32]", error.Message);
    }

    [Fact]
    public void GradientsReachTheWeightsThroughTheMaximum()
    {
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic() with { MultiImage = true, OutIndices = new[] { -1 } });
        var loss = encoder.call(new BackboneInput(ResNetTestModels.Pixels(2, 3, 2, 32, 32)))[0].mean();
        loss.backward();
        Assert.True(encoder.named_parameters().Single(p => p.name == "conv1.weight").parameter.grad!.abs().sum().item<float>() > 0);
    }
}
