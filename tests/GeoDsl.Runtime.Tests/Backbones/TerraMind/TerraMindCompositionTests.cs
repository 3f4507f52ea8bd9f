using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.TerraMind;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// TerraMind models built from .geomodel text through <see cref="GeoModel"/>: the encoder is the catalog's runtime type,
/// the parameter count is the front end's, and TerraTorch's S1 + S2 flood segmentation configuration
/// (integrationtests/configs/test_terramind_base.yaml: S2L1C + S1GRD, SelectIndices [2, 5, 8, 11], ReshapeTokensToImage
/// without class-token removal, LearnedInterpolateToPyramidal, UNetDecoder [512, 256, 128, 64]) compiles at full size and
/// runs shrunk.
/// </summary>
public sealed class TerraMindCompositionTests
{
    private const string S2L1CAndS1 = "COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, CIRRUS, SWIR_1, SWIR_2, VV, VH";

    /// <summary>test_terramind_base.yaml as a GeoDsl model; <paramref name="shrink"/> adds width/depth overrides and a smaller decoder.</summary>
    private static string FloodModel(bool shrink, int size = 224) => $$"""
        model TerraMindFloods : segmentation {
            input { bands = [{{S2L1CAndS1}}], size = {{size}} }
            backbone terramind_v1_base { pretrained = true, modalities = [S2L1C, S1GRD], merge_method = mean{{(shrink ? ", dim = 32, encoder_depth = 12, num_heads = 2" : "")}} }
            neck select_indices { indices = [2, 5, 8, 11] }
            neck reshape_tokens_to_image { remove_cls_token = false }
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = {{(shrink ? "[32, 16, 16, 8]" : "[512, 256, 128, 64]")}} }
            head segmentation { num_classes = 2, dropout = 0.1 }
        }
        """;

    [Fact]
    public void TheS1AndS2FloodModelCompilesAtFullSizeWithTheExpectedTrace()
    {
        var file = GeoModelCompiler.Compile("floods.geomodel", FloodModel(shrink: false));
        var errors = file.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var analysis = Assert.Single(file.Models);

        var backbone = analysis.Trace.Stages.First(s => s.Kind == "backbone");
        Assert.Equal(12, backbone.Output.Count);
        Assert.Equal("B×196×768", backbone.Output.Tensors[0].ToString());
        var necks = analysis.Trace.Stages.Where(s => s.Kind == "neck").ToList();
        Assert.Equal("4 × B×196×768", necks[0].Output.DescribeShapes());
        Assert.Equal("4 × B×768×14×14", necks[1].Output.DescribeShapes());

        // 84,953,856 transformer + S2L1C 13·256·768 + 768 + S1GRD 2·256·768 + 768.
        Assert.Equal(84_953_856 + 2_556_672 + 393_984, backbone.Parameters);
    }

    [Fact]
    public void TheS1AndS2FloodModelRunsShrunkAndGivesLogitsAtTheInputSize()
    {
        var analysis = ModelSpecs.Analyze(FloodModel(shrink: true, size: 64), "floods.geomodel");
        torch.manual_seed(0);
        using var model = new GeoModel(analysis.Spec);
        model.eval();
        using var noGrad = torch.no_grad();

        var output = model.Predict(TerraMindTestModels.Pixels(1, 15, 64, 64));

        Assert.Equal(new long[] { 1, 2, 64, 64 }, output.Output.shape);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("terramind_v1_tiny")]
    [InlineData("terramind_v1_small")]
    [InlineData("terramind_v1_base")]
    [InlineData("terramind_v1_large")]
    public void TheEncoderIsTheRuntimeTypeTheCatalogNames(string backbone)
    {
        var analysis = ModelSpecs.Analyze($$"""
            model Small : segmentation {
                input { bands = [RED, GREEN, BLUE, VV, VH], size = 32 }
                backbone {{backbone}} { modalities = [S2RGB, S1GRD], dim = 16, encoder_depth = 2, num_heads = 2 }
                neck reshape_tokens_to_image { remove_cls_token = false }
                decoder fcn { channels = 8, num_convs = 1 }
                head segmentation { num_classes = 2 }
            }
            """, "small.geomodel");
        using var model = new GeoModel(analysis.Spec);

        Assert.Equal(ComponentCatalog.Default.FindBackbone(backbone)!.RuntimeType, model.Encoder.GetType().FullName);
        var encoder = Assert.IsType<TerraMindViT>(model.Encoder);
        Assert.Equal(new[] { "S2RGB", "S1GRD" }, encoder.ModalityNames);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));
        Assert.Contains("encoder.encoder_embeddings.untok_sen1grd@224.proj.weight", model.state_dict().Keys);
    }

    [Fact]
    public void ASubsetOfBandsBuildsNarrowerPatchEmbeddings()
    {
        var analysis = ModelSpecs.Analyze("""
            model Subset : segmentation {
                input { bands = [BLUE, GREEN, RED, NIR_NARROW, VH], size = 32 }
                backbone terramind_v1_tiny { modalities = [S2L2A, S1RTC], dim = 16, encoder_depth = 2, num_heads = 2, merge_method = concat }
                neck reshape_tokens_to_image { remove_cls_token = false }
                decoder fcn { channels = 8, num_convs = 1 }
                head segmentation { num_classes = 3 }
            }
            """, "subset.geomodel");
        using var model = new GeoModel(analysis.Spec);
        var state = model.state_dict();

        Assert.Equal(new long[] { 16, 256 * 4 }, state["encoder.encoder_embeddings.untok_sen2l2a@224.proj.weight"].shape);
        Assert.Equal(new long[] { 16, 256 }, state["encoder.encoder_embeddings.untok_sen1rtc@224.proj.weight"].shape);
        model.eval();
        using var noGrad = torch.no_grad();
        Assert.Equal(new long[] { 2, 3, 32, 32 }, model.Predict(TerraMindTestModels.Pixels(2, 5, 32, 32)).Output.shape);
    }
}
