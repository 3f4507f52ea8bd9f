using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// Small segmentation models on a torchvision ViT, built from <c>.geomodel</c> text through <see cref="GeoModel"/>: the
/// encoder is the descriptor's runtime type under either spelling, the module has the front end's parameter count, and
/// the class token is dropped by <c>reshape_tokens_to_image</c> on the way to a pyramid decoder.
/// </summary>
public sealed class VisionTransformerCompositionTests
{
    private static string Model(string backbone, int size = 64) => $$"""
        model TinyVit : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = {{size}} }
            backbone {{backbone}} { patch_size = 8, hidden_dim = 32, num_layers = 4, num_heads = 2, mlp_dim = 64 }
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [32, 16, 16, 8] }
            head segmentation { num_classes = 2 }
        }
        """;

    [Theory]
    [InlineData("vit_base_patch16")]
    [InlineData("vit_b_16")]
    [InlineData("vit_small_patch16")]
    [InlineData("vit_h_14")]
    public void TheEncoderIsTheDescriptorsRuntimeType(string backbone)
    {
        var analysis = ModelSpecs.Analyze(Model(backbone), "test.geomodel");
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(ComponentCatalog.Default.FindBackbone(backbone)!.RuntimeType, model.Encoder.GetType().FullName);
        Assert.IsType<TorchvisionViT>(model.Encoder);
    }

    [Fact]
    public void TheComposedModuleHasTheFrontEndsParameterCountAndTorchvisionsKeys()
    {
        var analysis = ModelSpecs.Analyze(Model("vit_b_16"), "test.geomodel");
        using var model = new GeoModel(analysis.Spec);
        Assert.Equal(analysis.Parameters.Total, model.parameters().Sum(p => p.numel()));

        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.conv_proj.weight", keys);
        Assert.Contains("encoder.encoder.pos_embedding", keys);
        Assert.Contains("encoder.encoder.layers.encoder_layer_3.self_attention.in_proj_weight", keys);
        Assert.Contains("encoder.encoder.layers.encoder_layer_3.mlp.3.weight", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("encoder.heads", StringComparison.Ordinal));
    }

    [Fact]
    public void ForwardGivesClassLogitsAtTheInputSizeAndPadsOddSizes()
    {
        using var model = new GeoModel(ModelSpecs.Analyze(Model("vit_b_16"), "test.geomodel").Spec);
        model.eval();
        using var _ = no_grad();
        Assert.Equal(new long[] { 2, 2, 64, 64 }, model.Predict(randn(2, 6, 64, 64)).Output.shape);
        Assert.Equal(new long[] { 1, 2, 60, 70 }, model.Predict(randn(1, 6, 60, 70)).Output.shape);
    }

    [Fact]
    public void OneTrainingStepOfTheWholeModelLowersTheLoss()
    {
        torch.manual_seed(1);
        using var model = new GeoModel(ModelSpecs.Analyze(Model("vit_b_16"), "test.geomodel").Spec);
        using var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
        var x = randn(2, 6, 64, 64);
        var y = randint(0, 2, new long[] { 2, 64, 64 });
        var losses = new List<float>();
        for (var i = 0; i < 4; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.Predict(x).Output, y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], string.Join(", ", losses));
    }
}
