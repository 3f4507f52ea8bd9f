using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Catalog.VisionTransformer;

/// <summary>
/// The ViT entries: timm-style names and torchvision's builder names for the same descriptor type, torchvision's defaults,
/// and closed-form counts that reproduce torchvision 0.14's (with its 1000-class head, 1000·D + 1000).
/// </summary>
public sealed class VisionTransformerCatalogEntriesTests
{
    private static VisionTransformerBackbone Find(string name) => Assert.IsType<VisionTransformerBackbone>(ComponentCatalog.Default.FindBackbone(name));

    private static ModelAnalysis Analyze(string backbone, string size = "224") => TestModels.Single(TestModels.Compile($$"""
        model M : classification {
            input { bands = [RED, GREEN, BLUE], size = {{size}} }
            backbone {{backbone}}
            neck reshape_tokens_to_image
            decoder identity
            head classification { num_classes = 10 }
        }
        """));

    [Theory]
    [InlineData("vit_small_patch16", null)]
    [InlineData("vit_base_patch16", "vit_b_16")]
    [InlineData("vit_base_patch32", "vit_b_32")]
    [InlineData("vit_large_patch16", "vit_l_16")]
    [InlineData("vit_large_patch32", "vit_l_32")]
    [InlineData("vit_huge_patch14", "vit_h_14")]
    public void BothSpellingsNameTheSameConfiguration(string name, string? torchvisionName)
    {
        var entry = Find(name);
        Assert.Equal(torchvisionName, entry.Variant.TorchvisionName);
        if (torchvisionName is not null)
        {
            Assert.Same(entry.Variant, Find(torchvisionName).Variant);
        }

        Assert.Equal("GeoDsl.Runtime.Backbones.VisionTransformer.TorchvisionViT", entry.RuntimeType);
        Assert.Equal(new[] { "RED", "GREEN", "BLUE" }, entry.PretrainedBands);
        Assert.Equal(224, entry.DefaultImageSize);
    }

    [Theory]
    [InlineData("vit_b_16", "224", 86_567_656)]
    [InlineData("vit_b_32", "224", 88_224_232)]
    [InlineData("vit_l_16", "224", 304_326_632)]
    [InlineData("vit_l_32", "224", 306_535_400)]
    [InlineData("vit_h_14", "224", 632_045_800)]
    [InlineData("vit_h_14", "518", 633_470_440)]
    [InlineData("vit_small_patch16", "224", 22_050_664)]
    public void TheClosedFormWithTorchvisionsHeadReproducesTorchvisionsCount(string name, string imageSize, long expected)
    {
        var spec = Analyze($"{name} {{ image_size = {imageSize} }}").Spec;
        var arch = Find(name).Resolve(spec.Input, spec.Backbone.Args);
        Assert.Equal(expected, VisionTransformerBackbone.CountParameters(arch) + (1000L * arch.HiddenDim) + 1000);
    }

    [Fact]
    public void TheBackboneStageCountsTheLearnedPositionsOfThePaddedInput()
    {
        // 512 px: 1 + 32² positions instead of 1 + 14², so 828 × 768 more than at 224.
        var at224 = Analyze("vit_b_16").Trace.Stages[0].Parameters;
        var at512 = Analyze("vit_b_16", "512").Trace.Stages[0].Parameters;
        Assert.Equal(86_567_656 - 769_000, at224);
        Assert.Equal((1024 - 196) * 768L, at512 - at224);
    }

    [Fact]
    public void WithoutASizeTheInputIsTorchvisionsDefault224()
    {
        var analysis = TestModels.Single(TestModels.Compile("""
            model M : classification {
                input { bands = [RED, GREEN, BLUE] }
                backbone vit_l_16
                neck reshape_tokens_to_image
                decoder identity
                head classification { num_classes = 10 }
            }
            """));
        Assert.Equal((224, 224), (analysis.Spec.Input.Height, analysis.Spec.Input.Width));
    }

    [Fact]
    public void TrainingKeepsMoreActivationsThanInferenceAndCheckpointingKeepsFewer()
    {
        var analysis = Analyze("vit_b_16");
        var entry = Find("vit_b_16");
        var output = analysis.Trace.Stages[0].Output;
        var spec = analysis.Spec;
        var training = entry.EstimateActivations(spec.Input, spec.Backbone.Args, output, ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: false));
        var checkpointed = entry.EstimateActivations(spec.Input, spec.Backbone.Args, output, ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: true));
        var inference = entry.EstimateActivations(spec.Input, spec.Backbone.Args, output, ActivationSettings.For(Precision.Fp32, training: false, gradientCheckpointing: false));

        Assert.Equal(0, inference.SavedBytes);
        Assert.True(training.SavedBytes > checkpointed.SavedBytes);
        Assert.True(checkpointed.SavedBytes > 0);
        // At least each block's residual stream: 12 blocks × 197 tokens × 768 × 4 bytes.
        Assert.True(training.SavedBytes > 12L * 197 * 768 * 4);
    }
}
