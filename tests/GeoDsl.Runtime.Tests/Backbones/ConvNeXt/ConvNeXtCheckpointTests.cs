using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>
/// torchvision ConvNeXt weights (an RGB ImageNet state dict with torchvision's keys, written here as safetensors) load
/// into a backbone with other bands: the stem re-selected per band, the classifier ignored.
/// </summary>
public sealed class ConvNeXtCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("geodsl-convnext-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static TorchvisionConvNeXt Published()
    {
        torch.manual_seed(11);
        using var noGrad = torch.no_grad();
        var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { NumClasses = 5 });
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.normal_(); // every tensor distinguishable, layer_scale included
        }

        return model;
    }

    private string Write(TorchvisionConvNeXt published)
    {
        var path = Path.Combine(folder, "convnext_tiny_imagenet.safetensors");
        SafetensorsFile.Write(path, published.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()));
        return path;
    }

    [Fact]
    public void WeightsLoadForOtherBandsWithTheClassifierIgnored()
    {
        using var published = Published();
        var path = Write(published);
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { InChannels = 2 });

        var report = TorchvisionConvNeXtCheckpoint.Load(model, path, new[] { "BLUE", "SWIR_1" });

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("classifier.2.weight", report.Ignored);
        var source = published.state_dict();
        var loaded = model.state_dict();
        Assert.True(loaded["features.5.1.block.3.weight"].equal(source["features.5.1.block.3.weight"]).all().item<bool>());
        Assert.True(loaded["features.0.0.weight"][.., 0].equal(source["features.0.0.weight"][.., 2]).all().item<bool>());
        Assert.True(ConvNeXtTestModels.MaxAbsDifference(loaded["features.0.0.weight"][.., 1], source["features.0.0.weight"].mean(new long[] { 1 })) < 1e-6f);
    }

    [Fact]
    public void TheSameBandsReproduceTorchvisionsWeightsAndClassifierExactly()
    {
        using var published = Published();
        var path = Write(published);
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { NumClasses = 5 });

        var report = TorchvisionConvNeXtCheckpoint.Load(model, path, TorchvisionConvNeXtCheckpoint.ImageNetBands);

        Assert.True(report.IsComplete, report.ToString());
        published.eval();
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = ConvNeXtTestModels.Pixels(2, 3, 64, 64);
        Assert.Equal(0f, ConvNeXtTestModels.MaxAbsDifference(published.Classify(pixels), model.Classify(pixels)));
    }

    [Fact]
    public void AMissingStageFailsWithTheMissingKeysNamed()
    {
        using var published = Published();
        var path = Write(published);
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { Depths = new[] { 1, 1, 3, 1 } });

        var error = Assert.Throws<StateDictMismatchException>(() => TorchvisionConvNeXtCheckpoint.Load(model, path, TorchvisionConvNeXtCheckpoint.ImageNetBands));
        Assert.Contains("features.5.2.block.0.weight", error.Message);
    }
}
