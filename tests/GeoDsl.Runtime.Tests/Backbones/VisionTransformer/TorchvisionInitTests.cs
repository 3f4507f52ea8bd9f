using GeoDsl.Runtime.Backbones.VisionTransformer;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>
/// The truncated normal torchvision initialises conv_proj and every ConvNeXt weight with. TorchSharp 0.107's own
/// <c>nn.init.trunc_normal_</c> fills a constant (its standard deviation is 0), which would leave whole layers identical.
/// </summary>
public sealed class TorchvisionInitTests
{
    [Fact]
    public void TruncatedNormalHasTheRequestedSpreadWithinItsBounds()
    {
        torch.manual_seed(1);
        var values = TorchvisionInit.TruncatedNormal_(torch.empty(100_000), std: 0.02);
        Assert.InRange(values.std().item<float>(), 0.0195f, 0.0205f);
        Assert.InRange(values.mean().item<float>(), -0.0005f, 0.0005f);

        var cut = TorchvisionInit.TruncatedNormal_(torch.empty(100_000), mean: 0, std: 1, a: -0.5, b: 1.0);
        Assert.True(cut.min().item<float>() >= -0.5f && cut.max().item<float>() <= 1.0f);
        Assert.True(cut.min().item<float>() < -0.49f && cut.max().item<float>() > 0.99f);
    }

    [Fact]
    public void TorchvisionsConvProjAndConvNeXtWeightsAreNotConstant()
    {
        torch.manual_seed(2);
        using var vit = new TorchvisionViT(VisionTransformerTestModels.Tiny(layers: 1));
        Assert.True(vit.state_dict()["conv_proj.weight"].std().item<float>() > 0.05f); // √(1/48) ≈ 0.144

        using var convnext = new Runtime.Backbones.ConvNeXt.TorchvisionConvNeXt(new Runtime.Backbones.ConvNeXt.TorchvisionConvNeXtOptions { Dims = new[] { 8 }, Depths = new[] { 1 } });
        Assert.InRange(convnext.state_dict()["features.1.0.block.3.weight"].std().item<float>(), 0.015f, 0.025f);
    }
}
