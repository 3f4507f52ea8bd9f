using GeoDsl.Runtime.Backbones.VisionTransformer;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// State-dict keys and shapes equal torchvision's, so its checkpoints load by name. The reference lists
/// <c>bench/keys/vit_*.txt</c> were written by <c>bench/tools/dump_state_dict_keys.py</c> from Debian's torchvision 0.14.1
/// (<c>torchvision/models/vision_transformer.py</c>: <c>conv_proj</c>, <c>class_token</c>, <c>encoder.pos_embedding</c>,
/// <c>encoder.layers.encoder_layer_N.{ln_1, self_attention.in_proj_weight/in_proj_bias/out_proj, ln_2, mlp.0, mlp.3}</c>,
/// <c>encoder.ln</c>, <c>heads.head</c>). Modules are built on the meta device with the 1000-class head torchvision has.
/// </summary>
public sealed class VisionTransformerStateDictTests
{
    [Theory]
    [MemberData(nameof(VisionTransformerTestModels.Variants), MemberType = typeof(VisionTransformerTestModels))]
    public void EveryKeyAndShapeEqualsTorchvisionsList(string backbone, string keyList, int imageSize)
    {
        var arch = VisionTransformerTestModels.Architecture(backbone, VisionTransformerTestModels.ImageSizeArgument(imageSize));
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);

        var expected = TorchvisionKeyList.Read(keyList).Lines.Order(StringComparer.Ordinal).ToList();
        var actual = TorchvisionKeyList.Describe(model).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WithoutAClassifierOnlyHeadsIsMissing()
    {
        using var model = new TorchvisionViT(TorchvisionViTOptions.From(VisionTransformerTestModels.Architecture("vit_b_16")), device: torch.META);
        var expected = TorchvisionKeyList.Read("vit_b_16").Entries.Select(e => e.Key).Where(k => !k.StartsWith("heads.", StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.False(model.HasClassifier);
    }

    [Fact]
    public void ThePositionEmbeddingAndClassTokenAreLearnedParameters()
    {
        using var model = new TorchvisionViT(VisionTransformerTestModels.Tiny());
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("encoder.pos_embedding", parameters);
        Assert.Contains("class_token", parameters);
        Assert.Empty(model.named_buffers());
        Assert.Equal(new long[] { 1, 17, 32 }, model.state_dict()["encoder.pos_embedding"].shape);
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new TorchvisionViT(VisionTransformerTestModels.Tiny());
        torch.manual_seed(4);
        using var target = new TorchvisionViT(VisionTransformerTestModels.Tiny());
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = VisionTransformerTestModels.Pixels(2, 3, 16, 16);
        var a = source.call(new Features.BackboneInput(pixels));
        var b = target.call(new Features.BackboneInput(pixels));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, VisionTransformerTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
