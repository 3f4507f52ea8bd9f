using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>
/// torchgeo's SSL4EO weights are timm state dicts (a TerraTorch fine-tuned encoder puts them under <c>vit_model.</c>
/// and keeps timm's classifier <c>head</c>); they load into encoders for other bands and sizes.
/// </summary>
public sealed class Ssl4eoCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-ssl4eo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IReadOnlyList<string> S2Bands => Bands.FindSensor("s2_l1c")!.Bands;

    private string Write(Ssl4eoViT pretrained, string prefix, bool withHead)
    {
        var tensors = pretrained.state_dict().ToDictionary(p => prefix + p.Key, p => p.Value.detach().clone());
        if (withHead)
        {
            tensors[prefix + "head.weight"] = torch.zeros(1000, 32);
            tensors[prefix + "head.bias"] = torch.zeros(1000);
        }

        var path = Path.Combine(_folder, $"vits16{prefix.TrimEnd('.')}.safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("vit_model.", true)]
    public void TheWeightsLoadWithTheirBandsReselectedAndTheHeadIgnored(string prefix, bool withHead)
    {
        torch.manual_seed(11);
        using var pretrained = new Ssl4eoViT(Ssl4eoTestModels.Tiny());
        var path = Write(pretrained, prefix, withHead);
        using var model = new Ssl4eoViT(Ssl4eoTestModels.Tiny(channels: 3));

        var report = Ssl4eoCheckpoint.Load(model, path, new[] { "RED", "GREEN", "BLUE" }, S2Bands);

        Assert.True(report.IsComplete, report.ToString());
        var file = pretrained.state_dict()["patch_embed.proj.weight"];
        var loaded = model.state_dict()["patch_embed.proj.weight"];
        Assert.True(loaded[.., 0].equal(file[.., 3]).all().item<bool>()); // RED is B04, the fourth L1C band
        Assert.True(loaded[.., 2].equal(file[.., 1]).all().item<bool>()); // BLUE is B02
        Assert.True(model.state_dict()["blocks.2.attn.proj.weight"].equal(pretrained.state_dict()["blocks.2.attn.proj.weight"]).all().item<bool>());
    }

    [Fact]
    public void ThePositionTableIsResampledForAnotherSize()
    {
        using var pretrained = new Ssl4eoViT(Ssl4eoTestModels.Tiny(size: 64));
        var path = Write(pretrained, "", withHead: false);
        using var model = new Ssl4eoViT(Ssl4eoTestModels.Tiny(size: 96));

        var report = Ssl4eoCheckpoint.Load(model, path, S2Bands, S2Bands);

        Assert.True(report.IsComplete, report.ToString());
        using var expected = MaePositions.Resample(pretrained.state_dict()["pos_embed"], 1, (4, 4), (6, 6));
        Assert.True(model.state_dict()["pos_embed"].allclose(expected));
    }
}
