using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.HuggingFace;
using GeoDsl.Runtime.Tests.Weights;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.HuggingFace;

public sealed class HuggingFaceImportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder(string name) => _dir.File(name);

    /// <summary>The tiny ViT's files in <paramref name="name"/>, its config, and the model its import describes.</summary>
    private (HuggingFaceConfig Config, GeoModel Model) ImportTinyVit(string name, Action<Dictionary<string, Tensor>>? edit = null, bool sharded = false)
    {
        if (sharded)
        {
            HuggingFaceTestFiles.WriteTinyVitSharded(Folder(name));
        }
        else
        {
            HuggingFaceTestFiles.WriteTinyVit(Folder(name), edit: edit);
        }

        var config = HuggingFaceConfig.Read(Folder(name));
        return (config, new GeoModel(ModelSpecs.Parse(HuggingFaceImport.Import(config).ModelText)));
    }

    private HuggingFaceConfig Config(string name, string json)
    {
        Directory.CreateDirectory(Folder(name));
        File.WriteAllText(Path.Combine(Folder(name), "config.json"), json);
        return HuggingFaceConfig.Read(Folder(name));
    }

    [Fact]
    public void ATinyVitConfigBecomesTheCatalogViTWithItsSizesAsOverridesAndCompiles()
    {
        HuggingFaceTestFiles.WriteTinyVit(Folder("tiny-vit"));
        var result = HuggingFaceImport.Import(HuggingFaceConfig.Read(Folder("tiny-vit")));

        Assert.Contains("model TinyVit : segmentation {", result.ModelText, StringComparison.Ordinal);
        Assert.Contains("backbone vit_base_patch16 { image_size = 32, patch_size = 8, hidden_dim = 32, num_layers = 2, num_heads = 2, mlp_dim = 64 }", result.ModelText, StringComparison.Ordinal);
        var analysis = ModelSpecs.Analyze(result.ModelText, "tiny-vit.geomodel");
        // 32 px / patch 8 = 4×4 tokens plus the class token, 32 wide, from each of the 2 blocks.
        Assert.Equal("2 × B×17×32", analysis.Trace.Stages[0].Output.DescribeShapes());
        Assert.Contains(result.Backbone.Notes, n => n.Contains("layer_norm_eps is 1e-12", StringComparison.Ordinal));
    }

    [Fact]
    public void TheVitBaseConfigMapsToVitBasePatch16WithoutOverrides()
    {
        var config = Config("vit-base-patch16-224", """
            { "model_type": "vit", "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
              "patch_size": 16, "image_size": 224, "num_channels": 3 }
            """);
        var result = HuggingFaceImport.Import(config);

        Assert.Contains("model VitBasePatch16224 : segmentation {", result.ModelText, StringComparison.Ordinal);
        Assert.Contains("backbone vit_base_patch16 { image_size = 224 }", result.ModelText, StringComparison.Ordinal);
        Assert.Equal(85_798_656, ModelSpecs.Analyze(result.ModelText).Trace.Stages[0].Parameters);
    }

    [Fact]
    public void SwinConvNeXtAndResNetConfigsMapToTheirCatalogFamiliesAndCompile()
    {
        var swin = HuggingFaceImport.Import(Config("swin-tiny", """
            { "model_type": "swin", "embed_dim": 96, "depths": [2, 2, 6, 2], "num_heads": [3, 6, 12, 24], "window_size": 7, "patch_size": 4, "image_size": 224, "num_channels": 3 }
            """));
        var convnext = HuggingFaceImport.Import(Config("convnext-tiny", """
            { "model_type": "convnext", "hidden_sizes": [96, 192, 384, 768], "depths": [3, 3, 9, 3], "patch_size": 4, "image_size": 224, "num_channels": 3, "layer_scale_init_value": 1e-6 }
            """));
        var resnet = HuggingFaceImport.Import(Config("resnet-50", """
            { "model_type": "resnet", "embedding_size": 64, "hidden_sizes": [256, 512, 1024, 2048], "depths": [3, 4, 6, 3], "layer_type": "bottleneck", "num_channels": 3 }
            """));

        Assert.Contains("backbone swin_t { embed_dim = 96, depths = [2, 2, 6, 2], num_heads = [3, 6, 12, 24], window_size = 7 }", swin.ModelText, StringComparison.Ordinal);
        Assert.Contains("backbone convnext_tiny { dims = [96, 192, 384, 768], depths = [3, 3, 9, 3], layer_scale = 1e-06 }", convnext.ModelText, StringComparison.Ordinal);
        Assert.Contains("backbone resnet50 { out_indices = [-1] }", resnet.ModelText, StringComparison.Ordinal);
        // torchvision's published sizes without their classifiers: convnext_tiny 28,589,128 − (LayerNorm2d 2·768 + Linear 768·1000 + 1000); resnet50 25,557,032 − 2,049,000.
        Assert.Equal(28_589_128 - ((2 * 768) + (768 * 1000) + 1000), ModelSpecs.Analyze(convnext.ModelText).Trace.Stages[0].Parameters);
        Assert.Equal(25_557_032 - 2_049_000, ModelSpecs.Analyze(resnet.ModelText).Trace.Stages[0].Parameters);

        // Swin-T's overrides restate the catalog's swin_t, so the counts agree with the bare entry's.
        string bare = swin.ModelText.Replace("backbone swin_t { embed_dim = 96, depths = [2, 2, 6, 2], num_heads = [3, 6, 12, 24], window_size = 7 }", "backbone swin_t", StringComparison.Ordinal);
        Assert.Equal(ModelSpecs.Analyze(bare).Trace.Stages[0].Parameters, ModelSpecs.Analyze(swin.ModelText).Trace.Stages[0].Parameters);
    }

    [Fact]
    public void WeightsWithHuggingFaceNamesLoadIntoTheImportedBackboneAndAttentionMatchesSeparateQueryKeyValue()
    {
        var (config, model) = ImportTinyVit("tiny-vit");
        using var disposeModel = model;

        var report = HuggingFaceWeights.Load(model.Encoder, Folder("tiny-vit"), config);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(new[] { "classifier.bias", "classifier.weight", "vit.pooler.dense.bias", "vit.pooler.dense.weight" }, report.Dropped);
        var file = HuggingFaceTestFiles.TinyVitTensors();
        var state = model.Encoder.state_dict();
        Assert.True(state["conv_proj.weight"].allclose(file["vit.embeddings.patch_embeddings.projection.weight"]));
        Assert.True(state["encoder.pos_embedding"].allclose(file["vit.embeddings.position_embeddings"]));

        // Hugging Face's attention, computed by hand from the separate projections, against the fused module.
        var attention = (nn.Module<Tensor, Tensor>)model.Encoder.named_modules().Single(m => m.name == "encoder.layers.encoder_layer_1.self_attention").module;
        torch.manual_seed(5);
        var x = torch.randn(2, 17, HuggingFaceTestFiles.Width);
        Tensor Project(string name) => torch.nn.functional.linear(x, file[$"vit.encoder.layer.1.attention.attention.{name}.weight"], file[$"vit.encoder.layer.1.attention.attention.{name}.bias"])
            .reshape(2, 17, HuggingFaceTestFiles.Heads, -1).transpose(1, 2);
        var (q, k, v) = (Project("query"), Project("key"), Project("value"));
        var scores = torch.softmax(q.matmul(k.transpose(-1, -2)) / Math.Sqrt(HuggingFaceTestFiles.Width / HuggingFaceTestFiles.Heads), -1);
        var context = scores.matmul(v).transpose(1, 2).reshape(2, 17, HuggingFaceTestFiles.Width);
        var expected = torch.nn.functional.linear(context, file["vit.encoder.layer.1.attention.output.dense.weight"], file["vit.encoder.layer.1.attention.output.dense.bias"]);
        using (torch.no_grad())
        {
            var actual = attention.call(x);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void AShardedCheckpointWithAWeightMapLoadsTheSameTensors()
    {
        var (config, model) = ImportTinyVit("sharded", sharded: true);
        using var disposeModel = model;

        var report = HuggingFaceWeights.Load(model.Encoder, Folder("sharded"), config);

        Assert.True(report.IsComplete, report.ToString());
        var fused = model.Encoder.state_dict()["encoder.layers.encoder_layer_1.self_attention.in_proj_weight"];
        var file = HuggingFaceTestFiles.TinyVitTensors();
        Assert.True(fused[HuggingFaceTestFiles.Width..(2 * HuggingFaceTestFiles.Width)].allclose(file["vit.encoder.layer.1.attention.attention.key.weight"]));
    }

    [Fact]
    public void AStrictLoadRefusesATensorNoRuleMapsAndNamesIt()
    {
        var (config, model) = ImportTinyVit("extra", t => t["vit.encoder.layer.0.attention.attention.rotary.weight"] = torch.zeros(4));
        using var disposeModel = model;
        var before = model.Encoder.state_dict()["conv_proj.weight"].clone();

        var error = Assert.Throws<HuggingFaceWeightsException>(() => HuggingFaceWeights.Load(model.Encoder, Folder("extra"), config));
        Assert.Contains("vit.encoder.layer.0.attention.attention.rotary.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.True(model.Encoder.state_dict()["conv_proj.weight"].allclose(before, rtol: 0, atol: 0), "a refused load must leave the module untouched");

        var lenient = HuggingFaceWeights.Load(model.Encoder, Folder("extra"), config, strict: false);
        Assert.Equal(new[] { "vit.encoder.layer.0.attention.attention.rotary.weight" }, lenient.Unmapped);
    }

    [Fact]
    public void AMissingValueProjectionIsReportedWithTheFusedTensorItBelongsTo()
    {
        var (config, model) = ImportTinyVit("no-value", t => t.Remove("vit.encoder.layer.1.attention.attention.value.weight"));
        using var disposeModel = model;

        var error = Assert.Throws<HuggingFaceWeightsException>(() => HuggingFaceWeights.Load(model.Encoder, Folder("no-value"), config));
        Assert.Contains("encoder.layers.encoder_layer_1.self_attention.in_proj_weight (query only: query, key and value are needed together)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConfigsAreReportedWithTheFileAndTheField()
    {
        var unknown = Assert.Throws<HuggingFaceConfigException>(() => HuggingFaceImport.Import(Config("bert", """{ "model_type": "bert", "hidden_size": 768 }""")));
        Assert.Contains("bert", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("config.json has model_type \"bert\", which GeoDsl cannot import; it imports convnext, resnet, swin, swinv2, vit", unknown.Message, StringComparison.Ordinal);

        var sixBands = Assert.Throws<HuggingFaceConfigException>(() => HuggingFaceImport.Import(Config("six", HuggingFaceTestFiles.TinyVitConfig(channels: 6))));
        Assert.Contains("field \"num_channels\" is 6: give the 6 input bands in order", sixBands.Message, StringComparison.Ordinal);

        var broken = Assert.Throws<HuggingFaceConfigException>(() => Config("broken", "{ \"model_type\": \"vit\", "));
        Assert.Contains("is not valid JSON", broken.Message, StringComparison.Ordinal);

        var wrongDepths = Assert.Throws<HuggingFaceConfigException>(() => HuggingFaceImport.Import(Config("odd-resnet", """{ "model_type": "resnet", "depths": [1, 1, 1, 1], "layer_type": "basic" }""")));
        Assert.Contains("field \"depths\" [1, 1, 1, 1] with layer_type \"basic\" is none of torchvision's ResNets", wrongDepths.Message, StringComparison.Ordinal);
    }

    /// <summary>The Hugging Face name of a torchvision ResNet key, after ResNetModel's layout (embedder, encoder.stages.S.layers.L.layer.K / shortcut).</summary>
    private static string HuggingFaceResNetName(string torchvision)
    {
        var parts = torchvision.Split('.');
        if (parts[0] is "conv1" or "bn1")
        {
            return "resnet.embedder.embedder." + (parts[0] == "conv1" ? "convolution." : "normalization.") + string.Join(".", parts.Skip(1));
        }

        string block = $"resnet.encoder.stages.{int.Parse(parts[0]["layer".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1}.layers.{parts[1]}.";
        string leaf = string.Join(".", parts.Skip(parts[2] == "downsample" ? 4 : 3));
        return parts[2] == "downsample"
            ? block + (parts[3] == "0" ? "shortcut.convolution." : "shortcut.normalization.") + leaf
            : block + $"layer.{int.Parse(parts[2][^1..], System.Globalization.CultureInfo.InvariantCulture) - 1}." + (parts[2].StartsWith("conv", StringComparison.Ordinal) ? "convolution." : "normalization.") + leaf;
    }

    [Fact]
    public void AResNetCheckpointWithHuggingFaceNamesLoadsStrictlyIntoTheImportedResNet()
    {
        var config = Config("resnet-18", """{ "model_type": "resnet", "embedding_size": 64, "hidden_sizes": [64, 128, 256, 512], "depths": [2, 2, 2, 2], "layer_type": "basic", "num_channels": 3 }""");
        using var model = new GeoModel(ModelSpecs.Parse(HuggingFaceImport.Import(config).ModelText));
        torch.manual_seed(3);
        var tensors = model.Encoder.state_dict().ToDictionary(p => HuggingFaceResNetName(p.Key), p => p.Value.dtype == ScalarType.Int64 ? p.Value.clone() : torch.randn_like(p.Value));
        tensors["classifier.1.weight"] = torch.randn(1000, 512);
        tensors["classifier.1.bias"] = torch.randn(1000);
        SafetensorsFile.Write(Path.Combine(Folder("resnet-18"), "model.safetensors"), tensors);

        var report = HuggingFaceWeights.Load(model.Encoder, Folder("resnet-18"), config);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(new[] { "classifier.1.bias", "classifier.1.weight" }, report.Dropped);
        var state = model.Encoder.state_dict();
        Assert.True(state["layer2.0.downsample.0.weight"].allclose(tensors["resnet.encoder.stages.1.layers.0.shortcut.convolution.weight"]));
        Assert.True(state["layer4.1.bn2.running_var"].allclose(tensors["resnet.encoder.stages.3.layers.1.layer.1.normalization.running_var"]));
    }
}
