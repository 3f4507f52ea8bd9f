using GeoDsl.Runtime.Backbones.TerraMind;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// A checkpoint laid out like the published TerraMind_v1_*.pt files (converted to safetensors): the whole any-to-any
/// model's keys — encoder_embeddings of every modality (image and token), encoder.N, encoder_norm, the decoder side and
/// mask_token — loads into an encoder with fewer modalities and a subset of bands, as TerraTorch's checkpoint_filter_fn and
/// select_modality_patch_embed_weights (terramind_register.py) prepare it.
/// </summary>
public sealed class TerraMindCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("geodsl-terramind-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>The published layout: a narrow "base" over all six image modalities, plus decoder-side and token-input tensors.</summary>
    private string WritePublished(TerraMindViT pretrained)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, value) in pretrained.state_dict())
        {
            tensors[key] = value.detach().clone();
        }

        tensors["encoder_embeddings.tok_lulc@224.token_emb.weight"] = randn(4375, 32);
        tensors["encoder_embeddings.tok_lulc@224.mod_emb"] = randn(1, 1, 32);
        tensors["encoder_embeddings.caption.token_emb.weight"] = randn(100, 32);
        tensors["decoder_embeddings.tok_lulc@224.token_emb.weight"] = randn(4375, 32);
        tensors["decoder_proj_context.weight"] = randn(32, 32);
        tensors["decoder.0.cross_attn.kv.weight"] = randn(64, 32);
        tensors["decoder_norm.weight"] = randn(32);
        tensors["mask_token"] = randn(1, 1, 32);
        string path = Path.Combine(folder, "TerraMind_v1_base.safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static TerraMindViT Pretrained()
    {
        torch.manual_seed(11);
        return new TerraMindViT(TerraMindViTOptions.For("terramind_v1_base", TerraMindTestModels.AllImageModalities) with { Dim = 32, EncoderDepth = 2, NumHeads = 2 });
    }

    /// <summary>S2L1C with four of its thirteen bands, in another order, then S1GRD.</summary>
    private static readonly string[] ModelBands = { "RED", "GREEN", "BLUE", "NIR_NARROW", "VV", "VH" };

    private static TerraMindViT FineTuning(string merge = "mean", int imgSize = 224)
    {
        torch.manual_seed(12);
        return new TerraMindViT(TerraMindViTOptions.For("terramind_v1_base", "S2L1C", "S1GRD") with
        {
            Modalities = new[] { new TerraMindModalityOptions("S2L1C", "untok_sen2l1c@224", 4), new TerraMindModalityOptions("S1GRD", "untok_sen1grd@224", 2) },
            Dim = 32, EncoderDepth = 2, NumHeads = 2, MergeMethod = merge, ImgSize = imgSize,
        });
    }

    [Fact]
    public void TheEncoderLoadsAndEverythingElseIsIgnored()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        using var model = FineTuning();

        var report = TerraMindCheckpoint.Load(model, path, ModelBands);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("decoder_proj_context.weight", report.Ignored);
        Assert.Contains("mask_token", report.Ignored);
        Assert.Contains("encoder_embeddings.tok_lulc@224.token_emb.weight", report.Ignored);
        Assert.Contains("encoder_embeddings.untok_sen2l2a@224.proj.weight", report.Ignored);
        Assert.Contains("encoder.1.mlp.fc3.weight", report.Loaded);
        Assert.Contains("encoder_embeddings.untok_sen1grd@224.mod_emb", report.Loaded);

        var expected = published.state_dict();
        var actual = model.state_dict();
        foreach (var key in new[] { "encoder.0.attn.qkv.weight", "encoder.1.mlp.fc2.weight", "encoder_norm.weight", "encoder_embeddings.untok_sen1grd@224.proj.weight" })
        {
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(expected[key], actual[key]));
        }
    }

    [Fact]
    public void EachModalitysPatchEmbeddingIsReselectedForItsBands()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        using var model = FineTuning();

        TerraMindCheckpoint.Load(model, path, ModelBands);

        // [D, 256·C] viewed as [D, 256, C]: model channel k is pretrained channel index(band k) of S2L1C's 13.
        var pretrained = published.state_dict()["encoder_embeddings.untok_sen2l1c@224.proj.weight"].reshape(32, 256, 13);
        var loaded = model.state_dict()["encoder_embeddings.untok_sen2l1c@224.proj.weight"].reshape(32, 256, 4);
        int[] source = { 3, 2, 1, 8 }; // RED, GREEN, BLUE, NIR_NARROW in COASTAL_AEROSOL, BLUE, GREEN, RED, …, NIR_NARROW (8), …
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(pretrained.select(2, source[k]), loaded.select(2, k)));
        }
    }

    [Fact]
    public void ABandTheModalityWasNotTrainedOnStartsAsTheMeanOfItsPretrainedBands()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        torch.manual_seed(13);
        using var model = new TerraMindViT(new TerraMindViTOptions
        {
            Modalities = new[] { new TerraMindModalityOptions("S1GRD", "untok_sen1grd@224", 3) },
            Dim = 32, EncoderDepth = 2, NumHeads = 2, QkvBias = false, ProjBias = false, MlpBias = false, GatedMlp = true,
        });

        TerraMindCheckpoint.Load(model, path, new[] { "VH", "ELEVATION", "VV" });

        var pretrained = published.state_dict()["encoder_embeddings.untok_sen1grd@224.proj.weight"].reshape(32, 256, 2);
        var loaded = model.state_dict()["encoder_embeddings.untok_sen1grd@224.proj.weight"].reshape(32, 256, 3);
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(pretrained.select(2, 1), loaded.select(2, 0)));
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(pretrained.select(2, 0), loaded.select(2, 2)));
        Assert.True(TerraMindTestModels.MaxAbsDifference(pretrained.mean(new long[] { 2 }), loaded.select(2, 1)) < 1e-6f);
    }

    [Fact]
    public void TheModelKeepsItsOwnPositionTableForAnotherImgSize()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        using var model = FineTuning(imgSize: 64);
        var own = model.state_dict()["encoder_embeddings.untok_sen2l1c@224.pos_emb"].clone();

        var report = TerraMindCheckpoint.Load(model, path, ModelBands);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("encoder_embeddings.untok_sen2l1c@224.pos_emb", report.Ignored);
        Assert.Equal(new long[] { 1, 16, 32 }, model.state_dict()["encoder_embeddings.untok_sen2l1c@224.pos_emb"].shape);
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(own, model.state_dict()["encoder_embeddings.untok_sen2l1c@224.pos_emb"]));
    }

    [Fact]
    public void ConcatsMissingModalityTokenIsLeftAsInitialisedWhenTheFileHasNone()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        using var model = FineTuning(merge: "concat");

        var report = TerraMindCheckpoint.Load(model, path, ModelBands);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Contains("missing_mod_token", report.Ignored);
    }

    [Fact]
    public void AWholeModelStateDictLoadsWithoutItsOuterEncoderPrefix()
    {
        torch.manual_seed(5);
        using var source = FineTuning();
        var tensors = source.state_dict().ToDictionary(p => "encoder." + p.Key, p => p.Value.detach().clone());
        tensors["decoder.convs.0.weight"] = randn(4, 4);
        tensors["head.head.1.weight"] = randn(2, 4);
        string path = Path.Combine(folder, "fine-tuned.safetensors");
        SafetensorsFile.Write(path, tensors);
        using var model = FineTuning();

        var report = TerraMindCheckpoint.Load(model, path, ModelBands);

        Assert.True(report.IsComplete, report.ToString());
        using var noGrad = torch.no_grad();
        var pixels = TerraMindTestModels.Pixels(1, 6, 32, 32);
        source.eval();
        model.eval();
        Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(source.Encode(pixels)[^1], model.Encode(pixels)[^1]));
    }

    [Fact]
    public void ACheckpointOfAnotherWidthFailsNamingTheTensor()
    {
        using var published = Pretrained();
        string path = WritePublished(published);
        torch.manual_seed(1);
        using var wider = new TerraMindViT(TerraMindViTOptions.For("terramind_v1_base", "S1GRD") with { Dim = 64, EncoderDepth = 2, NumHeads = 2 });

        var error = Assert.Throws<StateDictMismatchException>(() => TerraMindCheckpoint.Load(wider, path, new[] { "VV", "VH" }));
        Assert.Contains("encoder.0.attn.qkv.weight", error.Message);
    }

    [Fact]
    public void TheBandCountMustMatchTheEncoder()
    {
        using var model = FineTuning();
        var error = Assert.Throws<ArgumentException>(() => TerraMindCheckpoint.Load(model, new Dictionary<string, Tensor>(), new[] { "VV" }, "none"));
        Assert.Contains("S2L1C 4 + S1GRD 2", error.Message);
    }
}
