using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ResNet;

/// <summary>
/// Published ResNet weights load by name: torchvision/timm/torchgeo files (plain keys, with or without a classifier)
/// and satlaspretrain_models files (<c>backbone.resnet.</c> prefixes, FPN tensors alongside), with conv1 re-selected
/// for the model's bands. The files are written here with the published names and shapes.
/// </summary>
public sealed class ResNetCheckpointTests : IDisposable
{
    private static readonly string[] Rgb = { "RED", "GREEN", "BLUE" };

    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-resnet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A "published" tiny network: RGB input and a 10-class classifier, keys as torchvision writes them.</summary>
    private static ResNetEncoder Published()
    {
        torch.manual_seed(21);
        return new ResNetEncoder(ResNetTestModels.TinyBasic() with { NumClasses = 10 });
    }

    private string Write(nn.Module module, Func<string, string>? rename = null, IDictionary<string, Tensor>? extra = null)
    {
        var tensors = module.state_dict().ToDictionary(p => (rename ?? (k => k))(p.Key), p => p.Value.detach().clone());
        foreach (var (key, value) in extra ?? new Dictionary<string, Tensor>())
        {
            tensors[key] = value;
        }

        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();

    [Fact]
    public void ATorchvisionFileLoadsIntoAFeatureExtractorAndItsClassifierIsIgnored()
    {
        using var published = Published();
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var report = ResNetCheckpoint.Load(encoder, Write(published), Rgb, Rgb);

        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Contains("fc.weight", report.Ignored);
        var source = published.state_dict();
        foreach (var (key, value) in encoder.state_dict())
        {
            Assert.True(Same(source[key], value), key);
        }
    }

    [Fact]
    public void TheStemIsReselectedForTheModelsBandsAndANewBandStartsAsTheMean()
    {
        using var published = Published();
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic(inChannels: 4));
        ResNetCheckpoint.Load(encoder, Write(published), new[] { "BLUE", "GREEN", "RED", "NIR_BROAD" }, Rgb);

        var pretrained = published.state_dict()["conv1.weight"];
        var loaded = encoder.state_dict()["conv1.weight"];
        Assert.True(Same(pretrained.select(1, 2), loaded.select(1, 0))); // BLUE was channel 2
        Assert.True(Same(pretrained.select(1, 1), loaded.select(1, 1)));
        Assert.True(Same(pretrained.select(1, 0), loaded.select(1, 2)));
        Assert.True((pretrained.mean(new long[] { 1 }) - loaded.select(1, 3)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void ASatlasFileLoadsThroughItsBackbonePrefixesAndItsFpnIsIgnored()
    {
        using var published = Published();
        var fpn = new Dictionary<string, Tensor> { ["intermediates.0.fpn.inner_blocks.0.weight"] = torch.zeros(4, 8, 1, 1) };
        string path = Write(published, k => "backbone.backbone.resnet." + k, fpn);
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var report = ResNetCheckpoint.Load(encoder, path, Rgb, Rgb);

        Assert.Empty(report.Missing);
        Assert.Contains("intermediates.0.fpn.inner_blocks.0.weight", report.Ignored);
        Assert.True(Same(published.state_dict()["layer4.0.conv2.weight"], encoder.state_dict()["layer4.0.conv2.weight"]));
    }

    [Fact]
    public void AClassifierOfTheSameShapeIsLoadedToo()
    {
        using var published = Published();
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic() with { NumClasses = 10 });
        var report = ResNetCheckpoint.Load(encoder, Write(published), Rgb, Rgb);
        Assert.Contains("fc.weight", report.Loaded);
        Assert.True(Same(published.state_dict()["fc.bias"], encoder.state_dict()["fc.bias"]));
    }

    [Fact]
    public void AFileMissingATensorIsRefusedByNameBeforeAnythingChanges()
    {
        using var published = Published();
        var tensors = published.state_dict().Where(p => p.Key != "layer3.0.bn2.weight").ToDictionary(p => p.Key, p => p.Value.detach().clone());
        string path = Path.Combine(_folder, "incomplete.safetensors");
        SafetensorsFile.Write(path, tensors);
        using var encoder = new ResNetEncoder(ResNetTestModels.TinyBasic());
        var before = encoder.state_dict()["conv1.weight"].clone();

        var error = Assert.Throws<StateDictMismatchException>(() => ResNetCheckpoint.Load(encoder, path, Rgb, Rgb));
        Assert.Contains("layer3.0.bn2.weight", error.Message);
        Assert.True(Same(before, encoder.state_dict()["conv1.weight"]));
    }

    [Fact]
    public void AComposedModelLoadsItsBackboneForItsBandsAndItsCatalogEntrysPretrainedBands()
    {
        using var model = new GeoModel(ModelSpecs.Parse("""
            model Ssl4eo : segmentation {
                input { bands = [RED, GREEN, BLUE], size = 64 }
                backbone ssl4eos12_resnet18_sentinel2_rgb_moco { pretrained = true }
                decoder fcn { channels = 8, num_convs = 2 }
                head segmentation { num_classes = 2 }
            }
            """));
        torch.manual_seed(8);
        using var published = new ResNetEncoder(ResNetOptions.ForDepth(18) with { NumClasses = 1000 });
        var report = ResNetCheckpoint.LoadBackbone(model, Write(published));

        Assert.Empty(report.Missing);
        Assert.True(Same(published.state_dict()["conv1.weight"], model.Encoder.state_dict()["conv1.weight"]));
    }
}
