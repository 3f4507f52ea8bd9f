using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// Small segmentation models on each Swin layout, built from <c>.geomodel</c> text through <see cref="GeoModel"/>: the
/// encoder is the descriptor's runtime type, the module has the front end's parameter count, and a Swin feeds a
/// channel-first decoder through <c>permute_dims { new_order = [0, 3, 1, 2] }</c> — UperNet here — at the input's size.
/// </summary>
public sealed class SwinCompositionTests
{
    private const string Narrow = "embed_dim = 8, depths = [1, 1, 1, 1], num_heads = [1, 1, 2, 2], window_size = 2";

    private static string Model(string backbone, string bands, string extra = "", int size = 64, int frames = 1) => $$"""
        model TinySwin : segmentation {
            input { bands = [{{bands}}], size = {{size}}, frames = {{frames}} }
            backbone {{backbone}} { {{Narrow}}{{extra}} }
            neck permute_dims { new_order = [0, 3, 1, 2] }
            decoder uper_net { channels = 16 }
            head segmentation { num_classes = 3 }
        }
        """;

    public static TheoryData<string, string, string, int> Backbones => new()
    {
        { "swin_t", "RED, GREEN, BLUE", "", 1 },
        { "swin_v2_b", "RED, GREEN, BLUE, NIR_BROAD", "", 1 },
        { "satlas_swin_t_sentinel2_si_ms", "RED, GREEN, BLUE, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, SWIR_1, SWIR_2", ", out_indices = [1, 3, 5, 7]", 1 },
        { "satlas_swin_b_sentinel1_mi", "VH, VV", ", out_indices = [1, 3, 5, 7]", 3 },
        { "prithvi_swin_B", "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2", "", 1 },
        { "prithvi_swin_L", "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2", "", 1 },
    };

    private static ModelAnalysis Analyze(string text)
    {
        var file = GeoModelCompiler.Compile("test.geomodel", text);
        var errors = file.Diagnostics.Where(d => d.Severity == GeoDsl.Composition.Diagnostics.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The model does not compile:\n" + string.Join("\n", errors));
        return Assert.Single(file.Models);
    }

    [Theory]
    [MemberData(nameof(Backbones))]
    public void TheEncoderIsTheDescriptorsRuntimeTypeAndTheCountIsTheFrontEnds(string backbone, string bands, string extra, int frames)
    {
        var analysis = Analyze(Model(backbone, bands, extra, frames: frames));
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(ComponentCatalog.Default.FindBackbone(backbone)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [MemberData(nameof(Backbones))]
    public void ASwinWithPermuteDimsAndUperNetPredictsAtTheInputSize(string backbone, string bands, string extra, int frames)
    {
        var analysis = Analyze(Model(backbone, bands, extra, frames: frames));
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();
        int channels = analysis.Spec.Input.Channels;
        var pixels = frames == 1 ? SwinTestModels.Pixels(2, channels, 64, 64) : SwinTestModels.Pixels(2, channels, frames, 64, 64);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, model.Predict(pixels).Output.shape);
    }

    [Fact]
    public void TheFrontEndTracesChannelLastStagesThenChannelFirstMaps()
    {
        var analysis = Analyze(Model("swin_t", "RED, GREEN, BLUE"));
        var stages = analysis.Trace.Stages.ToList();
        Assert.Equal("channel-last feature maps B×16×16×8, B×8×8×16, B×4×4×32, B×2×2×64", stages.Single(s => s.Kind == "backbone").Output.ToString());
        Assert.Equal("channel-first feature maps B×8×16×16, B×16×8×8, B×32×4×4, B×64×2×2", stages.Single(s => s.Kind == "neck").Output.ToString());
    }

    [Fact]
    public void ImagesThatAreNoMultipleOf32ArePaddedAndThePredictionCropped()
    {
        var analysis = Analyze(Model("prithvi_swin_B", "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2", size: 70));
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, 70, 90 }, model.Predict(SwinTestModels.Pixels(1, 6, 70, 90)).Output.shape);
    }

    [Fact]
    public void ASingleImageSatlasModelRunsOnEachFrameWithTemporalPooling()
    {
        var analysis = Analyze(Model("satlas_swin_t_sentinel2_si_rgb", "RED, GREEN, BLUE", ", out_indices = [1, 3, 5, 7], temporal_pooling = max", frames: 2));
        using var model = new GeoModel(analysis.Spec);
        Assert.IsType<SatlasSwinTransformer>(((GeoDsl.Runtime.Backbones.TemporalWrapper<GeoDsl.Runtime.Features.ChannelLastMapFeatures>)model.Encoder).Encoder);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, 64, 64 }, model.Predict(SwinTestModels.Pixels(1, 3, 2, 64, 64)).Output.shape);
    }

    [Fact]
    public void TrainingStepsOfTheWholeModelLowerTheLoss()
    {
        torch.manual_seed(1);
        using var model = new GeoModel(Analyze(Model("swin_v2_t", "RED, GREEN, BLUE")).Spec);
        using var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
        var x = SwinTestModels.Pixels(2, 3, 64, 64);
        var y = randint(0, 3, new long[] { 2, 64, 64 }, generator: new Generator(3));
        var losses = new List<float>();
        for (int i = 0; i < 4; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.Predict(x).Output, y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"losses: {string.Join(", ", losses)}");
    }
}
