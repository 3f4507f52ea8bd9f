using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Composition;

/// <summary>
/// <see cref="GeoModel.LoadPretrainedBackbone"/> reaches every family's checkpoint loader through one table, also
/// through a temporal wrapper, with the catalog entry's pretrained bands.
/// </summary>
public sealed class PretrainedLoaderTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-loaders-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void EveryBackboneTypeInTheCatalogHasALoader()
    {
        var withLoader = PretrainedLoaders.EncoderTypes.Select(t => t.FullName).ToHashSet();

        var missing = ComponentCatalog.Default.Backbones.Where(b => !withLoader.Contains(b.RuntimeType)).Select(b => $"{b.Name} ({b.RuntimeType})").ToList();

        Assert.True(missing.Count == 0, "Backbones without a checkpoint loader:\n" + string.Join("\n", missing));
    }

    private static GeoModel ResNetModel(string bands, string input = "", string backbone = "") => new(ModelSpecs.Parse($$"""
        model Tiny : segmentation {
            input { bands = [{{bands}}], size = 64 {{input}} }
            backbone ssl4eos12_resnet18_sentinel2_rgb_moco { pretrained = true, out_indices = [-1] {{backbone}} }
            decoder fcn { channels = 8, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """));

    /// <summary>A checkpoint with the encoder's own names, from a model pretrained on RED, GREEN, BLUE.</summary>
    private string WriteCheckpoint(nn.Module encoder)
    {
        string path = Path.Combine(_folder, "resnet18.safetensors");
        SafetensorsFile.Write(path, encoder.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()));
        return path;
    }

    [Fact]
    public void AResNetLoadsThroughTheModelWithItsBandsReSelected()
    {
        torch.manual_seed(11);
        using var pretrained = ResNetModel("RED, GREEN, BLUE");
        string path = WriteCheckpoint(pretrained.Encoder);
        using var model = ResNetModel("BLUE, GREEN, RED");

        var report = model.LoadPretrainedBackbone(path);

        Assert.Empty(report.Missing);
        var source = pretrained.Encoder.state_dict()["conv1.weight"];
        var loaded = model.Encoder.state_dict()["conv1.weight"];
        Assert.True(loaded[.., 0].equal(source[.., 2]).all().item<bool>()); // BLUE
        Assert.True(loaded[.., 2].equal(source[.., 0]).all().item<bool>()); // RED
        Assert.True(model.Encoder.state_dict()["layer4.1.conv2.weight"].equal(pretrained.Encoder.state_dict()["layer4.1.conv2.weight"]).all().item<bool>());
    }

    [Fact]
    public void ATemporallyWrappedBackboneLoadsIntoTheEncoderItRunsPerFrame()
    {
        torch.manual_seed(12);
        using var pretrained = ResNetModel("RED, GREEN, BLUE");
        string path = WriteCheckpoint(pretrained.Encoder);
        using var model = ResNetModel("RED, GREEN, BLUE", ", frames = 2", ", temporal_pooling = mean");
        Assert.StartsWith("encoder.", model.Encoder.state_dict().Keys.First(), StringComparison.Ordinal);

        model.LoadPretrainedBackbone(path);

        Assert.True(model.Encoder.state_dict()["encoder.conv1.weight"].equal(pretrained.Encoder.state_dict()["conv1.weight"]).all().item<bool>());
    }
}
