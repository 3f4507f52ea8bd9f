using GeoDsl.Composition.Shapes;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// Every block's tokens come out as [B, 1 + h·w, D] with the class token first, at the size the positions are stored
/// for and at other sizes, and agree with the front end's shapes. Narrow widths keep the real patch sizes cheap.
/// </summary>
public sealed class VisionTransformerOutputShapeTests
{
    private static TokenFeatures Encode(TorchvisionViT model, long height, long width, long channels = 3)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        return model.call(new BackboneInput(VisionTransformerTestModels.Pixels(2, channels, height, width)));
    }

    [Fact]
    public void AtTheDefaultSizeEveryBlockGivesTheClassTokenAnd196PatchTokens()
    {
        // vit_b_16's patch and 224 px with a narrow, shallow transformer.
        var arch = VisionTransformerTestModels.Architecture("vit_b_16", "hidden_dim = 32, num_heads = 2, mlp_dim = 64, num_layers = 3");
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch));
        var features = Encode(model, 224, 224);

        Assert.Equal(3, features.Count);
        Assert.All(features.Tensors, t => Assert.Equal(new long[] { 2, 197, 32 }, t.shape));
        Assert.True(features.HasClsToken);
        Assert.Equal(new TokenGrid(1, 14, 14), features.Grid);
    }

    [Fact]
    public void AtAnotherNonSquareSizeTheGridFollowsTheInput()
    {
        var arch = VisionTransformerTestModels.Architecture("vit_b_16", "hidden_dim = 32, num_heads = 2, mlp_dim = 64, num_layers = 2, image_size = 224");
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch));
        var features = Encode(model, 96, 160);

        Assert.All(features.Tensors, t => Assert.Equal(new long[] { 2, 1 + (6 * 10), 32 }, t.shape));
        Assert.Equal(new TokenGrid(1, 6, 10), features.Grid);
    }

    [Theory]
    [InlineData(224, 224)]
    [InlineData(320, 192)]
    public void TheShapesEqualTheFrontEndsShapes(int height, int width)
    {
        var analysis = ModelSpecsFor(height, width);
        var output = analysis.Trace.Stages[0].Output;
        var spec = analysis.Spec;
        var arch = VisionTransformerTestModels.Descriptor("vit_base_patch32").Resolve(spec.Input, spec.Backbone.Args);
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch));
        var features = Encode(model, arch.ImageHeight, arch.ImageWidth, channels: 4);

        Assert.Equal(FeatureKind.Tokens, output.Kind);
        Assert.Equal(output.Count, features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            Assert.Equal(new long[] { 2 }.Concat(output.Tensors[i].Dims.Select(d => (long)d)), features[i].shape);
        }

        Assert.Equal(output.Tokens!.Rows, features.Grid.Rows);
        Assert.Equal(output.Tokens.Columns, features.Grid.Columns);
    }

    [Fact]
    public void OutIndicesSelectBlocksInOrderAndOnlyTheLastBlockIsLayerNormed()
    {
        torch.manual_seed(2);
        using var all = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 3));
        using var some = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 3) with { OutIndices = new[] { -1, 0 } });
        some.load_state_dict(all.state_dict());
        var every = Encode(all, 16, 16);
        var selected = Encode(some, 16, 16);

        Assert.Equal(new[] { 2, 0 }, some.OutIndices);
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(every[2], selected[0]));
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(every[0], selected[1]));

        // encoder.ln (weight 1, bias 0 at init) gives the last block's tokens zero mean and unit variance.
        var last = every[2];
        Assert.True(last.mean(new long[] { -1 }).abs().max().item<float>() < 1e-4f);
        Assert.True(every[1].mean(new long[] { -1 }).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void AFiveDimensionalSingleFrameInputIsAccepted()
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1));
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = VisionTransformerTestModels.Pixels(1, 3, 16, 16);
        var flat = model.call(new BackboneInput(pixels));
        var framed = model.call(new BackboneInput(pixels.unsqueeze(2)));
        Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(flat[0], framed[0]));
    }

    [Theory]
    [InlineData(1, 4, 16, 16)]
    [InlineData(1, 3, 18, 16)]
    [InlineData(1, 3, 2, 16)]
    public void PixelsOfTheWrongLayoutAreRejectedWithTheExpectedLayout(long batch, long channels, long height, long width)
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1), "vit_tiny");
        var error = Assert.Throws<ArgumentException>(() => model.call(new BackboneInput(zeros(batch, channels, height, width))));
        Assert.Contains("vit_tiny expects pixels [B, 3, H, W]", error.Message);
        Assert.Contains($"[{batch}, {channels}, {height}, {width}]", error.Message);
    }

    private static GeoDsl.Composition.ModelAnalysis ModelSpecsFor(int height, int width) =>
        GeoDsl.Composition.Specs.ModelSpecs.Analyze($$"""
            model Tokens : classification {
                input { bands = [RED, GREEN, BLUE, NIR_BROAD], size = [{{height}}, {{width}}] }
                backbone vit_base_patch32 { hidden_dim = 32, num_heads = 4, mlp_dim = 48, num_layers = 2, out_indices = [1, 0] }
                neck reshape_tokens_to_image
                decoder identity
                head classification { num_classes = 3 }
            }
            """, "test.geomodel");
}
