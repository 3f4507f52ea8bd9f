using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>
/// A Scale-MAE pretraining checkpoint (<c>{'model': ...}</c> with the encoder, the decoder blocks, the FPN/FCN
/// reconstruction heads and mask tokens; scale-mae <c>models_mae.py</c>) loads into an encoder for other bands.
/// </summary>
public sealed class ScaleMaeCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-scalemae-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheEncoderLoadsAndThePretrainingHeadsAreIgnored()
    {
        torch.manual_seed(9);
        using var pretrained = new ScaleMaeViT(ScaleMaeTestModels.Tiny());
        var tensors = pretrained.state_dict().ToDictionary(p => "model." + p.Key, p => p.Value.detach().clone());
        tensors["model.mask_token"] = torch.randn(1, 1, 16);
        tensors["model.mask_token_decoder"] = torch.randn(1, 1, 16);
        tensors["model.decoder_blocks.0.attn.qkv.weight"] = torch.randn(48, 16);
        tensors["model.fpn.fpn1.0.weight"] = torch.randn(16, 16, 2, 2);
        tensors["model.fcn_high.conv.weight"] = torch.randn(3, 16, 1, 1);
        var path = Path.Combine(_folder, "scalemae-vitlarge-800.safetensors");
        SafetensorsFile.Write(path, tensors);
        using var model = new ScaleMaeViT(ScaleMaeTestModels.Tiny() with { InChannels = 2 });

        var report = ScaleMaeCheckpoint.Load(model, path, new[] { "BLUE", "RED" });

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("fpn.fpn1.0.weight", report.Ignored);
        Assert.Contains("decoder_blocks.0.attn.qkv.weight", report.Ignored);
        var file = pretrained.state_dict()["patch_embed.proj.weight"];
        var loaded = model.state_dict()["patch_embed.proj.weight"];
        Assert.True(loaded[.., 0].equal(file[.., 2]).all().item<bool>()); // BLUE from (RED, GREEN, BLUE)
        Assert.True(loaded[.., 1].equal(file[.., 0]).all().item<bool>()); // RED
        Assert.True(model.state_dict()["blocks.1.mlp.fc1.weight"].equal(pretrained.state_dict()["blocks.1.mlp.fc1.weight"]).all().item<bool>());
    }
}
