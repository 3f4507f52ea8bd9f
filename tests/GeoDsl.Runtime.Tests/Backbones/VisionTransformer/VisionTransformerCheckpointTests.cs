using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// torchvision ViT weights (an RGB ImageNet state dict with torchvision's keys, written here as safetensors) load into
/// a backbone with other bands and another image size: conv_proj re-selected per band, positions resized as
/// torchvision's <c>interpolate_embeddings</c>, the classifier ignored, pre-v2 MLP keys renamed.
/// </summary>
public sealed class VisionTransformerCheckpointTests : IDisposable
{
    private static readonly string[] Rgb = { "RED", "GREEN", "BLUE" };

    private readonly string folder = Directory.CreateTempSubdirectory("geodsl-vit-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A torchvision-shaped RGB checkpoint with its classifier: the tiny encoder stored for 16 px (4×4 grid).</summary>
    private string WriteImageNetCheckpoint(TorchvisionViT published, Func<string, string>? rename = null)
    {
        var tensors = published.state_dict().ToDictionary(p => (rename ?? (k => k))(p.Key), p => p.Value.detach().clone());
        var path = Path.Combine(folder, "vit_tiny_imagenet.safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static TorchvisionViT Published()
    {
        torch.manual_seed(11);
        using var noGrad = torch.no_grad();
        var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2) with { NumClasses = 5 });
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.normal_(); // torchvision zero-initialises some tensors; make every one distinguishable
        }

        return model;
    }

    [Fact]
    public void WeightsLoadForOtherBandsAndAnotherSizeWithTheClassifierIgnored()
    {
        using var published = Published();
        var path = WriteImageNetCheckpoint(published);
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2) with { InChannels = 4, ImageSize = (24, 40) });

        var report = TorchvisionViTCheckpoint.Load(model, path, new[] { "BLUE", "RED", "NIR_BROAD", "GREEN" });

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("heads.head.weight", report.Ignored);
        var source = published.state_dict();
        var loaded = model.state_dict();
        Assert.True(loaded["encoder.layers.encoder_layer_1.self_attention.in_proj_weight"].equal(source["encoder.layers.encoder_layer_1.self_attention.in_proj_weight"]).all().item<bool>());

        // conv_proj: BLUE, RED and GREEN take their ImageNet channels; NIR_BROAD starts as their mean.
        var pretrained = source["conv_proj.weight"];
        var own = loaded["conv_proj.weight"];
        Assert.True(own[.., 0].equal(pretrained[.., 2]).all().item<bool>());
        Assert.True(own[.., 1].equal(pretrained[.., 0]).all().item<bool>());
        Assert.True(own[.., 3].equal(pretrained[.., 1]).all().item<bool>());
        Assert.True(VisionTransformerTestModels.MaxAbsDifference(own[.., 2], pretrained.mean(new long[] { 1 })) < 1e-6f);

        // Positions: 4×4 → 6×10, the class position kept.
        var expected = TorchvisionViTEncoder.Resize(source["encoder.pos_embedding"], (4, 4), (6, 10));
        Assert.True(VisionTransformerTestModels.MaxAbsDifference(expected, loaded["encoder.pos_embedding"]) < 1e-6f);
    }

    [Fact]
    public void TheSameBandsAndSizeReproduceTorchvisionsWeightsAndClassifierExactly()
    {
        using var published = Published();
        var path = WriteImageNetCheckpoint(published);
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2) with { NumClasses = 5 });

        var report = TorchvisionViTCheckpoint.Load(model, path, Rgb);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Empty(report.Ignored);
        published.eval();
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = VisionTransformerTestModels.Pixels(2, 3, 16, 16);
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(published.Classify(pixels), model.Classify(pixels)));
    }

    [Fact]
    public void CheckpointsWithTheLegacyMlpNamesLoadAsTorchvisionsMlpBlockRenamesThem()
    {
        using var published = Published();
        var path = WriteImageNetCheckpoint(published, key => key.Replace(".mlp.0.", ".mlp.linear_1.", StringComparison.Ordinal).Replace(".mlp.3.", ".mlp.linear_2.", StringComparison.Ordinal));
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2));

        var report = TorchvisionViTCheckpoint.Load(model, path, Rgb);

        Assert.True(report.IsComplete, report.ToString());
        Assert.True(model.state_dict()["encoder.layers.encoder_layer_0.mlp.3.bias"].equal(published.state_dict()["encoder.layers.encoder_layer_0.mlp.3.bias"]).all().item<bool>());
        Assert.Equal("a.mlp.0.weight", TorchvisionViTCheckpoint.RenameLegacyMlp("a.mlp.linear_1.weight"));
        Assert.Equal("a.mlp.3.bias", TorchvisionViTCheckpoint.RenameLegacyMlp("a.mlp.linear_2.bias"));
    }

    [Fact]
    public void AWrongWidthFailsWithTheMismatchedKeysNamed()
    {
        using var published = Published();
        var path = WriteImageNetCheckpoint(published);
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 2) with { HiddenDim = 48, NumHeads = 2 });

        var error = Assert.Throws<StateDictMismatchException>(() => TorchvisionViTCheckpoint.Load(model, path, Rgb));
        Assert.Contains("encoder.ln.weight", error.Message);
    }
}
