using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.ScaleMae;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ScaleMae;

/// <summary>
/// Learnable parameters of the Scale-MAE encoders at real size (meta device): patch embedding 3·p²·D + D, class token D,
/// blocks 12D² + 13D each and the final norm 2D; the timm <c>pos_embed</c> is not learnable (TerraTorch sets
/// requires_grad = False). ViT-L/16: 787,456 + 1,024 + 24 × 12,596,224 + 2,048 = 303,099,904 ≈ 303 M
/// (backbone-facts.md §A3, "≈303 M encoder (C)").
/// </summary>
public sealed class ScaleMaeParameterCountTests
{
    public static TheoryData<string, long> Variants => new()
    {
        { "scalemae_vit_base_patch16", 85_647_360 },
        { "scalemae_vit_large_patch16", 303_099_904 },
        { "scalemae_vit_huge_patch14", 630_435_840 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheFrontEndCountEqualsTheModuleCountAndTheKeyList(string name, long expected)
    {
        var backbone = (ScaleMaeBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new ScaleMaeViT(ScaleMaeViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        Assert.Equal(expected, backbone.CountParameters(input, MaeTestSupport.NoArguments));
        Assert.Equal(expected, MaeTestSupport.LearnableParameters(module));
        Assert.Equal(expected, MaeTestSupport.ReferenceKeys(name).Where(e => e.Learnable).Sum(e => SatMaeParameterCountTests.Elements(e.Shape)));
    }
}
