using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Composition;

/// <summary>
/// A published Prithvi MAE checkpoint (encoder.* and decoder.* keys, a positional embedding for 4 frames) loads into
/// a fine-tuning model with other bands and 1 frame, as TerraTorch's checkpoint filter prepares it.
/// </summary>
public sealed class PretrainedBackboneTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("geodsl-pretrained-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GeoModel Model(string bands) => new(ModelSpecs.Parse($$"""
        model Tiny : segmentation {
            input { bands = [{{bands}}], size = 64 }
            backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 64, depth = 2, num_heads = 2, pretrained = true }
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 8, num_convs = 3 }
            head segmentation { num_classes = 2 }
        }
        """));

    /// <summary>Writes a checkpoint laid out like the published MAE file: a 6-band, 4-frame encoder plus decoder weights.</summary>
    private string WritePublishedCheckpoint(PrithviViT pretrainedShape)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, value) in pretrainedShape.state_dict())
        {
            tensors["encoder." + key] = value.detach().clone();
        }

        tensors["decoder.decoder_embed.weight"] = randn(32, 64);
        tensors["decoder.decoder_pos_embed"] = randn(1, 10, 32);
        tensors["encoder.mask_token"] = randn(1, 1, 64);
        string path = Path.Combine(_folder, "Prithvi_MAE.safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static PrithviViT PublishedEncoder() => new(new PrithviViTOptions
    {
        InChannels = 6, EmbedDim = 64, Depth = 2, NumHeads = 2, PatchSize = (1, 8, 8), NumFrames = 4, ImageSize = (64, 64),
    });

    [Fact]
    public void EncoderWeightsLoadAndTheMaeDecoderIsIgnored()
    {
        torch.manual_seed(3);
        using var published = PublishedEncoder();
        string path = WritePublishedCheckpoint(published);
        using var model = Model("BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2");

        var report = model.LoadPretrainedBackbone(path);

        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Contains("decoder.decoder_embed.weight", report.Ignored);
        Assert.Contains("mask_token", report.Ignored);
        var loaded = model.Encoder.state_dict();
        Assert.True(loaded["blocks.1.attn.qkv.weight"].equal(published.state_dict()["blocks.1.attn.qkv.weight"]).all().item<bool>());
    }

    [Fact]
    public void TheModelKeepsItsOwnPositionalEmbeddingForItsFrames()
    {
        using var published = PublishedEncoder();
        string path = WritePublishedCheckpoint(published);
        using var model = Model("BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2");
        var before = model.Encoder.state_dict()["pos_embed"].clone();

        model.LoadPretrainedBackbone(path);

        Assert.True(model.Encoder.state_dict()["pos_embed"].equal(before).all().item<bool>());
        Assert.NotEqual(published.state_dict()["pos_embed"].shape, before.shape);
    }

    [Fact]
    public void AReorderedSubsetOfBandsTakesTheMatchingPatchEmbeddingChannels()
    {
        using var published = PublishedEncoder();
        string path = WritePublishedCheckpoint(published);
        using var model = Model("RED, GREEN, BLUE");

        model.LoadPretrainedBackbone(path);

        var pretrained = published.state_dict()["patch_embed.proj.weight"];
        var loaded = model.Encoder.state_dict()["patch_embed.proj.weight"];
        Assert.Equal(new long[] { 64, 3, 1, 8, 8 }, loaded.shape);
        Assert.True(loaded[.., 0].equal(pretrained[.., 2]).all().item<bool>()); // RED
        Assert.True(loaded[.., 2].equal(pretrained[.., 0]).all().item<bool>()); // BLUE
    }

    [Fact]
    public void ANewBandStartsAsTheMeanOfThePretrainedChannels()
    {
        using var published = PublishedEncoder();
        string path = WritePublishedCheckpoint(published);
        using var model = Model("RED, RED_EDGE_1");

        model.LoadPretrainedBackbone(path);

        var pretrained = published.state_dict()["patch_embed.proj.weight"];
        var loaded = model.Encoder.state_dict()["patch_embed.proj.weight"];
        Assert.True(loaded[.., 1].allclose(pretrained.mean(new long[] { 1 }), rtol: 0, atol: 1e-7));
        Assert.True(loaded[.., 0].equal(pretrained[.., 2]).all().item<bool>());
    }

    [Fact]
    public void TerraTorchsRandomStartForNewBandsIsAvailable()
    {
        using var published = PublishedEncoder();
        string path = WritePublishedCheckpoint(published);
        using var model = Model("RED, RED_EDGE_1");
        var before = model.Encoder.state_dict()["patch_embed.proj.weight"][.., 1].clone();

        PrithviCheckpoint.Load((PrithviViT)model.Encoder, path, model.Spec.Input.Bands.ToList(), newBands: NewBandInitialization.KeepRandom);

        Assert.True(model.Encoder.state_dict()["patch_embed.proj.weight"][.., 1].equal(before).all().item<bool>());
    }

    [Fact]
    public void AWrongWidthFailsWithTheMismatchedKeysNamed()
    {
        using var other = new PrithviViT(new PrithviViTOptions { InChannels = 6, EmbedDim = 32, Depth = 2, NumHeads = 2, PatchSize = (1, 8, 8), ImageSize = (64, 64) });
        string path = WritePublishedCheckpoint(other);
        using var model = Model("BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2");

        var error = Assert.Throws<StateDictMismatchException>(() => model.LoadPretrainedBackbone(path));
        Assert.Contains("blocks.0.attn.qkv.weight", error.Message);
        Assert.Contains("Prithvi_MAE.safetensors", error.Message);
    }
}
