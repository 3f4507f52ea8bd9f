using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// Published weights load by name from the files the tests write in each published layout: torchvision ImageNet files
/// into a feature extractor (classifier skipped), Satlas files as torchgeo, satlaspretrain_models and TerraTorch save them,
/// and Prithvi-Swin files with TerraTorch's names or the original Swin's (SimMIM) names. The first conv follows the
/// model's bands; a loaded model computes what the model that saved the file computes.
/// </summary>
public sealed class SwinCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("geodsl-swin-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Save(IReadOnlyDictionary<string, Tensor> tensors, string name)
    {
        var path = Path.Combine(folder, name + ".safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private static Dictionary<string, Tensor> StateDict(nn.Module module, string prefix = "") =>
        module.state_dict().ToDictionary(p => prefix + p.Key, p => p.Value);

    private static ChannelLastMapFeatures Encode(nn.Module module, Tensor pixels)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        return (ChannelLastMapFeatures)((IBackbone)module).Encode(new BackboneInput(pixels));
    }

    private static void AssertSameFeatures(nn.Module expected, nn.Module actual, Tensor pixels)
    {
        var a = Encode(expected, pixels);
        var b = Encode(actual, pixels);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(SwinTestModels.MaxAbsDifference(a[i], b[i]) < 1e-5f, $"output {i} differs by {SwinTestModels.MaxAbsDifference(a[i], b[i])}");
        }
    }

    [Fact]
    public void TorchvisionImageNetWeightsLoadIntoTheFeatureExtractorWithTheClassifierSkipped()
    {
        torch.manual_seed(1);
        using var imagenet = new SwinTransformer(SwinTestModels.TinyShifted(v2: true) with { NumClasses = 1000 });
        var path = Save(StateDict(imagenet), "swin_v2_t");
        torch.manual_seed(2);
        using var model = new SwinTransformer(SwinTestModels.TinyShifted(v2: true));

        var report = SwinCheckpoint.Load(model, path, SwinVariants.ImageNetRgb);

        Assert.Empty(report.Missing);
        Assert.Contains("norm.weight", report.Ignored);
        Assert.Contains("head.weight", report.Ignored);
        AssertSameFeatures(imagenet, model, SwinTestModels.Pixels(1, 3, 64, 64));
    }

    [Fact]
    public void TheFirstConvTakesThePretrainedChannelOfEachKnownBandAndTheMeanForANewOne()
    {
        torch.manual_seed(1);
        using var imagenet = new SwinTransformer(SwinTestModels.Tiny());
        var source = StateDict(imagenet);
        using var model = new SwinTransformer(SwinTestModels.Tiny(inChannels: 3));

        SwinCheckpoint.Load(model, source, new[] { "BLUE", "RED", "NIR_BROAD" }, SwinVariants.ImageNetRgb, "imagenet");

        var pretrained = source["features.0.0.weight"];
        var loaded = model.state_dict()["features.0.0.weight"];
        Assert.Equal(0f, SwinTestModels.MaxAbsDifference(pretrained.select(1, 2), loaded.select(1, 0)));
        Assert.Equal(0f, SwinTestModels.MaxAbsDifference(pretrained.select(1, 0), loaded.select(1, 1)));
        Assert.True(SwinTestModels.MaxAbsDifference(pretrained.mean(new long[] { 1 }), loaded.select(1, 2)) < 1e-7f);
    }

    public static TheoryData<string> SatlasLayouts => new() { "torchgeo", "satlaspretrain single-image", "satlaspretrain multi-image", "terratorch" };

    [Theory]
    [MemberData(nameof(SatlasLayouts))]
    public void SatlasWeightsLoadFromEveryPublishedLayout(string layout)
    {
        torch.manual_seed(1);
        var options = SwinTestModels.TinyShifted(v2: true, inChannels: 2) with { OutIndices = new[] { 1, 3, 5, 7 } };
        using var published = new SatlasSwinTransformer(options, multiImage: false);
        var torchvision = StateDict(published.SwinModel);
        var file = layout switch
        {
            "torchgeo" => torchvision,
            "satlaspretrain single-image" => torchvision.ToDictionary(p => "backbone.backbone." + p.Key, p => p.Value),
            "satlaspretrain multi-image" => torchvision.ToDictionary(p => "backbone.backbone.backbone." + p.Key, p => p.Value),
            _ => StateDict(published, "encoder."),
        };
        if (layout.StartsWith("satlaspretrain", StringComparison.Ordinal))
        {
            file["intermediates.0.fpn.layer_blocks.0.0.weight"] = torch.zeros(4, 4);
        }

        torch.manual_seed(2);
        using var model = new SatlasSwinTransformer(options, multiImage: false);
        var report = SwinCheckpoint.Load(model, Save(file, layout.Replace(' ', '_')), SwinVariants.SatlasSentinel1, SwinVariants.SatlasSentinel1);

        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        AssertSameFeatures(published, model, SwinTestModels.Pixels(1, 2, 64, 64));
    }

    [Fact]
    public void SatlasSentinel1WeightsGiveTheirVhChannelToAModelThatListsVvFirst()
    {
        torch.manual_seed(1);
        using var published = new SatlasSwinTransformer(SwinTestModels.Tiny(v2: true, inChannels: 2), multiImage: false);
        using var model = new SatlasSwinTransformer(SwinTestModels.Tiny(v2: true, inChannels: 2), multiImage: false);
        SwinCheckpoint.Load(model, StateDict(published.SwinModel), new[] { "VV", "VH" }, SwinVariants.SatlasSentinel1, "sentinel1_swinb_si");

        var file = published.state_dict()["swin_model.features.0.0.weight"];
        var loaded = model.state_dict()["swin_model.features.0.0.weight"];
        Assert.Equal(0f, SwinTestModels.MaxAbsDifference(file.select(1, 1), loaded.select(1, 0)));
        Assert.Equal(0f, SwinTestModels.MaxAbsDifference(file.select(1, 0), loaded.select(1, 1)));
    }

    [Fact]
    public void AFineTunedTerraTorchPrithviSwinLoadsItsEncoderAndIgnoresDecoderAndHead()
    {
        torch.manual_seed(1);
        using var finetuned = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6));
        var file = StateDict(finetuned, "model.encoder.");
        file["model.decoder.fpn1.0.weight"] = torch.zeros(2, 2);
        file["model.head.head.1.weight"] = torch.zeros(1, 2);

        torch.manual_seed(2);
        using var model = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6));
        var report = PrithviSwinCheckpoint.Load(model, Save(file, "biomass"), Bands.PrithviDefault);

        Assert.Empty(report.Missing);
        Assert.Contains("model.decoder.fpn1.0.weight", report.Ignored);
        Assert.Contains("model.head.head.1.weight", report.Ignored);
        AssertSameFeatures(finetuned, model, SwinTestModels.Pixels(1, 6, 64, 64));
    }

    [Fact]
    public void PrithviSwinStagesThatAreNotBuiltIgnoreTheirWeights()
    {
        torch.manual_seed(1);
        using var full = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6));
        using var twoStages = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6) with { OutIndices = new[] { 0, 1 } });
        var report = PrithviSwinCheckpoint.Load(twoStages, StateDict(full), Bands.PrithviDefault, Bands.PrithviDefault, "full");
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Contains(report.Ignored, k => k.StartsWith("stages_3.", StringComparison.Ordinal));
    }

    [Fact]
    public void ABiasTableOfAnotherWindowIsResizedBicubically()
    {
        torch.manual_seed(1);
        using var window4 = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6));
        using var window2 = new PrithviSwinTransformer(SwinTestModels.TinyShifted(inChannels: 6) with { WindowSize = 2 });
        var report = PrithviSwinCheckpoint.Load(window2, StateDict(window4), Bands.PrithviDefault, Bands.PrithviDefault, "window 4");
        Assert.Empty(report.Mismatched);
        Assert.Equal(new long[] { 9, 1 }, window2.state_dict()["stages_0.blocks.0.attn.w_msa.relative_position_bias_table"].shape);
    }
}
