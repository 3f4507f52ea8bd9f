using GeoDsl.Runtime.Backbones.SatMae;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>
/// Published SatMAE weights are MAE checkpoints (<c>{'model': state_dict}</c>): encoder keys plus the decoder and mask
/// token, written here as safetensors under <c>model.</c> at the pretraining size. They load into encoders built for
/// other sizes and bands as the reference's fine-tuning prepares them.
/// </summary>
public sealed class SatMaeCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-satmae-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteMaeCheckpoint(nn.Module pretrained, string name, params string[] dropKeys)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, value) in pretrained.state_dict())
        {
            if (!dropKeys.Contains(key))
            {
                tensors["model." + key] = value.detach().clone();
            }
        }

        tensors["model.mask_token"] = torch.randn(1, 1, 16);
        tensors["model.decoder_embed.weight"] = torch.randn(16, 64);
        tensors["model.decoder_pos_embed"] = torch.randn(1, 17, 8);
        var path = Path.Combine(_folder, name + ".safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    [Fact]
    public void APretrainingFileLoadsIntoTheGroupEncoderAndTheDecoderIsIgnored()
    {
        torch.manual_seed(5);
        using var pretrained = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());
        // MAE pretraining has no channel_cls_embed; the fine-tuning model adds it.
        var path = WriteMaeCheckpoint(pretrained, "pretrain", "channel_cls_embed");
        torch.manual_seed(6);
        using var model = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());

        var report = SatMaeCheckpoint.Load(model, path);

        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Contains("mask_token", report.Ignored);
        Assert.Contains("channel_cls_embed", report.Ignored);
        Assert.True(model.state_dict()["patch_embed.2.proj.weight"].equal(pretrained.state_dict()["patch_embed.2.proj.weight"]).all().item<bool>());
        Assert.True(model.state_dict()["channel_embed"].equal(pretrained.state_dict()["channel_embed"]).all().item<bool>());
    }

    [Fact]
    public void ThePositionTableIsResizedToTheModelsGrid()
    {
        using var pretrained = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups(32));
        var path = WriteMaeCheckpoint(pretrained, "pretrain");
        using var model = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups(48));

        var report = SatMaeCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        using var expected = MaePositions.Resample(pretrained.state_dict()["pos_embed"], 1, (4, 4), (6, 6));
        Assert.True(model.state_dict()["pos_embed"].allclose(expected));
    }

    [Fact]
    public void TheTemporalFileLoadsWithItsPatchEmbeddingReselectedForTheBands()
    {
        torch.manual_seed(7);
        using var pretrained = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal());
        var path = WriteMaeCheckpoint(pretrained, "temporal");
        using var model = new SatMaeTemporalViT(SatMaeTestModels.TinyTemporal() with { InChannels = 4 });

        var report = SatMaeCheckpoint.Load(model, path, new[] { "BLUE", "GREEN", "RED", "NIR_BROAD" });

        Assert.True(report.IsComplete, report.ToString());
        var file = pretrained.state_dict()["patch_embed.proj.weight"];
        var loaded = model.state_dict()["patch_embed.proj.weight"];
        Assert.True(loaded[.., 0].equal(file[.., 2]).all().item<bool>()); // BLUE is the file's third channel (R, G, B)
        Assert.True(loaded[.., 2].equal(file[.., 0]).all().item<bool>()); // RED
        Assert.True(loaded[.., 3].allclose(file.mean(new long[] { 1 }), rtol: 0, atol: 1e-7)); // a new band: the mean
    }

    [Fact]
    public void AFineTunedFileWithGlobalPoolingKeepsTheModelsNorm()
    {
        using var pretrained = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());
        var tensors = pretrained.state_dict().Where(p => !p.Key.StartsWith("norm.", StringComparison.Ordinal))
            .ToDictionary(p => "model." + p.Key, p => p.Value.detach().clone());
        tensors["model.fc_norm.weight"] = torch.ones(64);
        tensors["model.fc_norm.bias"] = torch.zeros(64);
        tensors["model.head.weight"] = torch.zeros(62, 64);
        var path = Path.Combine(_folder, "finetuned.safetensors");
        SafetensorsFile.Write(path, tensors);
        using var model = new SatMaeGroupChannelViT(SatMaeTestModels.TinyGroups());

        var report = SatMaeCheckpoint.Load(model, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("norm.weight", report.Ignored);
        Assert.Contains("head.weight", report.Ignored);
    }
}
