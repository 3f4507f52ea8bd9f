using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// Published Clay checkpoints are Lightning files of the whole ClayMAE: the encoder under "model.encoder.", next to the
/// MAE decoder, the DINO teacher and a projection. The test writes one with those names (as safetensors) and loads it.
/// </summary>
public sealed class ClayCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-clay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(ClayEncoder published, string prefix = "model.encoder.", string name = "clay-v1.5.safetensors")
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, value) in published.state_dict())
        {
            tensors[prefix + key] = value.detach().clone();
        }

        tensors["model.decoder.mask_patch"] = torch.randn(16);
        tensors["model.decoder.transformer.norm.weight"] = torch.ones(16);
        tensors["model.decoder.embed_to_pixels.weight_generator.fc_weight.weight"] = torch.randn(64, 128);
        tensors["model.teacher.blocks.0.attn.qkv.weight"] = torch.randn(96, 32);
        tensors["model.proj.weight"] = torch.randn(32, 32);
        string path = Path.Combine(_folder, name);
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static bool Same(ClayEncoder a, ClayEncoder b, string key) => a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>();

    [Fact]
    public void TheEncoderLoadsFromModelEncoderAndTheRestOfTheMaeIsIgnored()
    {
        torch.manual_seed(31);
        using var published = new ClayEncoder(ClayTestModels.Tiny());
        string path = Write(published);
        torch.manual_seed(32);
        using var model = new ClayEncoder(ClayTestModels.Tiny());

        var report = ClayCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("model.decoder.mask_patch", report.Ignored);
        Assert.Contains("model.teacher.blocks.0.attn.qkv.weight", report.Ignored);
        Assert.Contains("model.proj.weight", report.Ignored);
        Assert.True(Same(published, model, "patch_embedding.weight_generator.fc_weight.weight"));
        Assert.True(Same(published, model, "transformer.layers.1.0.to_qkv.weight"));
        Assert.True(Same(published, model, "cls_token"));
    }

    [Fact]
    public void TheSameFileLoadsIntoAnEncoderForOtherBandsAndSizes()
    {
        using var published = new ClayEncoder(ClayTestModels.Tiny());
        string path = Write(published);
        using var radar = new ClayEncoder(ClayTestModels.Tiny(fixedGrid: false) with { Wavelengths = new[] { 3.5, 4.0 }, ImageSize = (64, 64) });

        var report = ClayCheckpoint.Load(radar, path);

        Assert.True(report.IsComplete, report.ToString());
        using var noGrad = torch.no_grad();
        Assert.Equal(new long[] { 1, 65, 32 }, radar.Encode(ClayTestModels.Pixels(1, 2, 64, 64))[0].shape);
    }

    [Theory]
    [InlineData("clay_encoder.")]
    [InlineData("encoder.clay_encoder.")]
    [InlineData("encoder_module.")]
    public void FilesSavedFromTerraTorchsWrappersLoadToo(string prefix)
    {
        using var published = new ClayEncoder(ClayTestModels.Tiny());
        string path = Write(published, prefix, name: "terratorch.safetensors");
        using var model = new ClayEncoder(ClayTestModels.Tiny());

        var report = ClayCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(Same(published, model, "transformer.norm.bias"));
    }

    [Fact]
    public void AWrongWidthFailsNamingTheTensorsAndTheFile()
    {
        using var other = new ClayEncoder(ClayTestModels.Tiny() with { Dim = 48 });
        string path = Write(other, name: "wide.safetensors");
        using var model = new ClayEncoder(ClayTestModels.Tiny());

        var error = Assert.Throws<StateDictMismatchException>(() => ClayCheckpoint.Load(model, path));

        Assert.Contains("transformer.layers.0.0.to_qkv.weight", error.Message);
        Assert.Contains("wide.safetensors", error.Message);
    }
}
