using GeoDsl.Runtime.Backbones.Dofa;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// Published DOFA weights (torchgeo's files: bare encoder keys; the test writes one with the same names as safetensors)
/// load into encoders for any bands; torchgeo's classifier keys and TerraTorch's wrapper prefix are handled, and the
/// 14×14-style position table is resized to the model's grid.
/// </summary>
public sealed class DofaCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-dofa-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(DofaViT published, string prefix = "", string name = "dofa_base_patch16_224.safetensors")
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, value) in published.state_dict())
        {
            tensors[prefix + key] = value.detach().clone();
        }

        // torchgeo's DOFA (global_pool=True) also has a classifier the encoder does not use.
        tensors[prefix + "fc_norm.weight"] = torch.ones(32);
        tensors[prefix + "fc_norm.bias"] = torch.zeros(32);
        tensors[prefix + "head.weight"] = torch.randn(45, 32);
        tensors[prefix + "head.bias"] = torch.zeros(45);
        string path = Path.Combine(_folder, name);
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static bool Same(DofaViT a, DofaViT b, string key) => a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>();

    [Fact]
    public void TorchgeosKeysLoadAndTheClassifierIsIgnored()
    {
        torch.manual_seed(21);
        using var published = new DofaViT(DofaTestModels.Tiny());
        string path = Write(published);
        torch.manual_seed(22);
        using var model = new DofaViT(DofaTestModels.Tiny());

        var report = DofaCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("fc_norm.weight", report.Ignored);
        Assert.Contains("head.weight", report.Ignored);
        Assert.True(Same(published, model, "patch_embed.weight_generator.fc_weight.weight"));
        Assert.True(Same(published, model, "blocks.1.attn.qkv.weight"));
        Assert.True(Same(published, model, "pos_embed"));
    }

    [Fact]
    public void TheSameFileLoadsIntoAnEncoderForOtherBands()
    {
        using var published = new DofaViT(DofaTestModels.Tiny());
        string path = Write(published);
        using var radar = new DofaViT(DofaTestModels.Tiny() with { Wavelengths = new[] { 5.405, 5.405 } });

        var report = DofaCheckpoint.Load(radar, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(Same(published, radar, "patch_embed.weight_generator.fc_bias.weight"));
        using var noGrad = torch.no_grad();
        Assert.Equal(new long[] { 1, 5, 32 }, radar.Encode(DofaTestModels.Pixels(1, 2, 32, 32))[0].shape);
    }

    [Fact]
    public void ATerraTorchFineTunedFileWithTheWrapperPrefixLoads()
    {
        using var published = new DofaViT(DofaTestModels.Tiny());
        string path = Write(published, prefix: "encoder.dofa_model.", name: "terratorch.safetensors");
        using var model = new DofaViT(DofaTestModels.Tiny());

        var report = DofaCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(Same(published, model, "cls_token"));
    }

    [Fact]
    public void ThePositionTableIsResizedBilinearlyToTheModelsGrid()
    {
        using var published = new DofaViT(DofaTestModels.Tiny()); // 32 px: a 2×2 grid
        string path = Write(published);
        using var larger = new DofaViT(DofaTestModels.Tiny() with { ImageSize = (64, 64) }); // 4×4

        var report = DofaCheckpoint.Load(larger, path);

        Assert.True(report.IsComplete, report.ToString());
        var source = published.state_dict()["pos_embed"];
        var expected = DofaViT.ResizePositionEmbedding(source, new TokenGrid(1, 2, 2), new TokenGrid(1, 4, 4));
        var loaded = larger.state_dict()["pos_embed"];
        Assert.Equal(new long[] { 1, 17, 32 }, loaded.shape);
        Assert.True(loaded.allclose(expected, rtol: 0, atol: 1e-7));
        Assert.True(loaded[0, 0].equal(source[0, 0]).all().item<bool>());
    }

    [Fact]
    public void AWrongWidthFailsNamingTheTensorsAndTheFile()
    {
        using var other = new DofaViT(DofaTestModels.Tiny() with { EmbedDim = 64, NumHeads = 2 });
        string path = Write(other, name: "wide.safetensors");
        using var model = new DofaViT(DofaTestModels.Tiny());

        var error = Assert.Throws<StateDictMismatchException>(() => DofaCheckpoint.Load(model, path));

        Assert.Contains("blocks.0.attn.qkv.weight", error.Message);
        Assert.Contains("wide.safetensors", error.Message);
    }
}
