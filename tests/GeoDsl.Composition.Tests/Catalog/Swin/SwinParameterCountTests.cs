using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Catalog.Swin;

/// <summary>
/// Closed-form counts: torchvision's verified totals with the 1000-class classifier (backbone-facts.md, torchvision 0.14.1:
/// swin_t 28,288,354, swin_b 87,768,224, swin_v2_t 28,351,570, swin_v2_b 87,930,848), the catalog's feature extractors
/// without it, Satlas with it (as TerraTorch keeps it; 9 bands: 28,360,786 and 87,943,136, the counts torchvision gives
/// the Satlas models in bench/keys) and Prithvi-Swin without (86,751,160 and 195,007,380 in bench/keys); and the activation
/// estimate's main dependencies.
/// </summary>
public sealed class SwinParameterCountTests
{
    [Theory]
    [InlineData("swin_t", 28_288_354)]
    [InlineData("swin_b", 87_768_224)]
    [InlineData("swin_v2_t", 28_351_570)]
    [InlineData("swin_v2_b", 87_930_848)]
    public void TheClosedFormWithTheImageNetClassifierIsTorchvisionsCount(string name, long expected)
    {
        var analysis = SwinModels.Valid(SwinModels.Model(name));
        var descriptor = (SwinBackbone)ComponentCatalog.Default.FindBackbone(name)!;
        var architecture = descriptor.Resolve(analysis.Spec.Input, analysis.Spec.Backbone.Args);
        Assert.Equal(expected, SwinRules.TorchvisionParameters(architecture, classes: 1000));

        long last = 8L * descriptor.Variant.Shape.EmbedDim;
        Assert.Equal(expected - (2 * last) - (1000 * last) - 1000, SwinModels.Backbone(analysis).Parameters);
    }

    [Theory]
    [InlineData("satlas_swin_t_sentinel2_si_ms", 28_360_786)]
    [InlineData("satlas_swin_t_sentinel2_mi_ms", 28_360_786)]
    [InlineData("satlas_swin_b_sentinel2_si_ms", 87_943_136)]
    public void SatlasKeepsTorchvisionsClassifierAsTerraTorchDoes(string name, long expected)
    {
        var analysis = SwinModels.Valid(SwinModels.Model(name, SwinModels.Sentinel2Multispectral, "out_indices = [1, 3, 5, 7]", size: "256"));
        Assert.Equal(expected, SwinModels.Backbone(analysis).Parameters);
    }

    [Theory]
    [InlineData("prithvi_swin_B", 86_751_160)]
    [InlineData("prithvi_swin_L", 195_007_380)]
    public void PrithviSwinCountsTheFeaturesOnlyEncoder(string name, long expected)
    {
        var analysis = SwinModels.Valid(SwinModels.Model(name, SwinModels.Hls));
        Assert.Equal(expected, SwinModels.Backbone(analysis).Parameters);
    }

    [Fact]
    public void EachBandAddsOneInputChannelToThe4x4PatchConv()
    {
        var three = SwinModels.Backbone(SwinModels.Valid(SwinModels.Model("swin_t"))).Parameters;
        var nine = SwinModels.Backbone(SwinModels.Valid(SwinModels.Model("swin_t", SwinModels.Sentinel2Multispectral))).Parameters;
        Assert.Equal(6 * 16 * 96, nine - three);
    }

    [Fact]
    public void PrithviSwinWithFewerStagesCountsOnlyTheStagesItBuilds()
    {
        var all = SwinModels.Backbone(SwinModels.Valid(SwinModels.Model("prithvi_swin_B", SwinModels.Hls))).Parameters;
        var two = SwinModels.Backbone(SwinModels.Valid(SwinModels.Model("prithvi_swin_B", SwinModels.Hls, "out_indices = [0, 1]", decoder: "decoder fcn { channels = 64, num_convs = 1 }"))).Parameters;

        // Stages 2 and 3: 18 + 2 blocks of width 512 and 1024, their norms, and stage 2's merging (512 → 1024).
        long stage2 = (18 * SwinRules.BlockParameters(512, 16, 7, v2: false)) + (2 * 512) + (8 * 512) + (8L * 512 * 512);
        long stage3 = (2 * SwinRules.BlockParameters(1024, 32, 7, v2: false)) + (2 * 1024);
        Assert.Equal(all - stage2 - stage3, two);
    }

    [Fact]
    public void AMultiImageSampleSavesTheActivationsOfEveryImage()
    {
        var descriptor = ComponentCatalog.Default.FindBackbone("satlas_swin_b_sentinel1_mi")!;
        var one = SwinModels.Valid(SwinModels.Model("satlas_swin_b_sentinel1_mi", "VH, VV", "out_indices = [1, 3, 5, 7]", size: "256"));
        var four = SwinModels.Valid(SwinModels.Model("satlas_swin_b_sentinel1_mi", "VH, VV", "out_indices = [1, 3, 5, 7]", size: "256", frames: "4"));
        var settings = ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: false);

        var a = descriptor.EstimateActivations(one.Spec.Input, one.Spec.Backbone.Args, SwinModels.Backbone(one).Output, settings);
        var b = descriptor.EstimateActivations(four.Spec.Input, four.Spec.Backbone.Args, SwinModels.Backbone(four).Output, settings);
        Assert.True(b.SavedBytes > 3.5 * a.SavedBytes, $"{b.SavedBytes} vs {a.SavedBytes}");
    }

    [Fact]
    public void GradientCheckpointingKeepsFarLessAndInferenceKeepsNothing()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("swin_b"));
        var descriptor = ComponentCatalog.Default.FindBackbone("swin_b")!;
        var output = SwinModels.Backbone(analysis).Output;
        ActivationEstimate Estimate(bool training, bool checkpointing) => descriptor.EstimateActivations(analysis.Spec.Input, analysis.Spec.Backbone.Args, output,
            ActivationSettings.For(Precision.Bf16Mixed, training, checkpointing));

        var full = Estimate(true, false);
        var checkpointed = Estimate(true, true);
        var inference = Estimate(false, false);
        Assert.True(checkpointed.SavedBytes * 4 < full.SavedBytes, $"{checkpointed.SavedBytes} vs {full.SavedBytes}");
        Assert.Equal(0, inference.SavedBytes);
        Assert.True(inference.TransientBytes > 0);
    }

    [Fact]
    public void ALargerWindowKeepsMoreAttentionScores()
    {
        var small = SwinModels.Valid(SwinModels.Model("swin_t", arguments: "window_size = 7"));
        var large = SwinModels.Valid(SwinModels.Model("swin_t", arguments: "window_size = 14"));
        var descriptor = ComponentCatalog.Default.FindBackbone("swin_t")!;
        var settings = ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: false);
        var a = descriptor.EstimateActivations(small.Spec.Input, small.Spec.Backbone.Args, SwinModels.Backbone(small).Output, settings);
        var b = descriptor.EstimateActivations(large.Spec.Input, large.Spec.Backbone.Args, SwinModels.Backbone(large).Output, settings);
        Assert.True(b.SavedBytes > a.SavedBytes);
    }
}
