using GeoDsl.Composition;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Composition;

public sealed class GeoModelCompositionTests
{
    private const string TinyWaterModel = """
        model TinyWater : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 64 }
            backbone prithvi_eo_tiny { patch_size = 8, embed_dim = 64, depth = 4, num_heads = 4 }
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [64, 32, 16, 16] }
            head segmentation { num_classes = 2 }
            aux_head aux { decoder fcn { channels = 16, num_convs = 2 } }
        }
        """;

    private static ModelAnalysis Analyze(string text) => ModelSpecs.Analyze(text, "test.geomodel");

    [Fact]
    public void ComposedModuleHasTheParameterCountTheFrontEndComputes()
    {
        var analysis = Analyze(TinyWaterModel);
        using var model = new GeoModel(analysis.Spec);
        long learnable = model.parameters().Sum(p => p.numel());
        Assert.Equal(analysis.Parameters.Total, learnable);
    }

    [Fact]
    public void StateDictUsesTerraTorchPixelWiseModelNames()
    {
        using var model = new GeoModel(Analyze(TinyWaterModel).Spec);
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.patch_embed.proj.weight", keys);
        Assert.Contains("encoder.blocks.3.attn.qkv.weight", keys);
        Assert.Contains("encoder.pos_embed", keys);
        Assert.Contains("neck.2.fpn1.0.weight", keys);
        Assert.Contains("decoder.decoder.blocks.0.conv1.0.weight", keys);
        Assert.Contains("head.head.2.weight", keys);
        Assert.Contains("aux_heads.aux.0.convs.0.0.weight", keys);
        Assert.Contains("aux_heads.aux.1.head.2.weight", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("_", StringComparison.Ordinal));
    }

    [Fact]
    public void ForwardGivesClassLogitsAtTheInputSizeForEveryHead()
    {
        using var model = new GeoModel(Analyze(TinyWaterModel).Spec);
        model.eval();
        using var _ = no_grad();
        var output = model.Predict(randn(2, 6, 64, 64));
        Assert.Equal(new long[] { 2, 2, 64, 64 }, output.Output.shape);
        Assert.Equal(new long[] { 2, 2, 64, 64 }, output.Auxiliary["aux"].shape);
    }

    [Fact]
    public void InputsThatAreNotAMultipleOfTwicePatchArePaddedAndTheOutputCropped()
    {
        using var model = new GeoModel(Analyze(TinyWaterModel).Spec);
        model.eval();
        using var _ = no_grad();
        var output = model.Predict(randn(1, 6, 60, 70));
        Assert.Equal(new long[] { 1, 2, 60, 70 }, output.Output.shape);
    }

    [Fact]
    public void AWrongBandCountIsRejectedWithTheExpectedLayout()
    {
        using var model = new GeoModel(Analyze(TinyWaterModel).Spec);
        var error = Assert.Throws<ArgumentException>(() => model.Predict(randn(1, 4, 64, 64)));
        Assert.Contains("[B, 6, H, W]", error.Message);
        Assert.Contains("[1, 4, 64, 64]", error.Message);
        Assert.Contains("NIR_NARROW", error.Message);
    }

    [Fact]
    public void OneTrainingStepLowersTheLossOnAFixedBatch()
    {
        torch.manual_seed(1);
        using var model = new GeoModel(Analyze(TinyWaterModel).Spec);
        var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
        var x = randn(2, 6, 64, 64);
        var y = randint(0, 2, new long[] { 2, 64, 64 });
        float First() => nn.functional.cross_entropy(model.Predict(x).Output, y).item<float>();
        float before = First();
        for (int i = 0; i < 5; i++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.Predict(x).Output, y);
            loss.backward();
            optimizer.step();
        }

        Assert.True(First() < before);
    }

    [Fact]
    public void TheSen1Floods11ReferenceModelMatchesItsFrontEndCountExactly()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "models", "sen1floods11_prithvi_300_unet.geomodel");
        var analysis = ModelSpecs.Analyze(File.ReadAllText(path), path);
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
        Assert.Equal(326_845_700, analysis.Parameters.Total);
    }
}
