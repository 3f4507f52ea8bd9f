using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>
/// Learnable parameters of the SSL4EO ViT-S/16 encoders at real size (meta device), with the sensor's bands at 224 px:
/// patch embedding C·256·384 + 384, class token 384, learned pos_embed 197 × 384 = 75,648, 12 blocks × 1,774,464 and the
/// final norm 768. Sentinel-2 (13 bands): 1,278,336 + 384 + 75,648 + 21,293,568 + 768 = 22,648,704 ≈ 22.6 M
/// (backbone-facts.md §A3, "ViT-S/16 13-ch ≈22.6 M (C)"); with 3 bands and timm's 1000-class head the same form
/// gives 22,050,664, backbone-facts.md §B's timm ViT-S/16.
/// </summary>
public sealed class Ssl4eoParameterCountTests
{
    public static TheoryData<string> Variants => new(Ssl4eoVariants.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheFrontEndCountEqualsTheModuleCountAndTheKeyList(string name)
    {
        var backbone = (Ssl4eoViTBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new Ssl4eoViT(Ssl4eoViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        long frontEnd = backbone.CountParameters(input, MaeTestSupport.NoArguments);
        Assert.Equal(frontEnd, MaeTestSupport.LearnableParameters(module));
        Assert.Equal(frontEnd, MaeTestSupport.ReferenceKeys(name).Where(e => e.Learnable).Sum(e => SatMaeParameterCountTests.Elements(e.Shape)));
    }

    [Fact]
    public void TheSentinel2EncoderHas22648704Parameters()
    {
        var backbone = MaeTestSupport.Backbone(Ssl4eoTestModels.S2Name);

        Assert.Equal(22_648_704, backbone.CountParameters(MaeTestSupport.PublishedInput(backbone), MaeTestSupport.NoArguments));
    }

    [Fact]
    public void TheClosedFormReproducesTimmsViTSmallWithItsHead()
    {
        var backbone = MaeTestSupport.Backbone(Ssl4eoTestModels.S2Name);
        var rgb = MaeTestSupport.PublishedInput(backbone) with { Bands = new[] { "RED", "GREEN", "BLUE" }.ToEquatableArray() };
        const long head = (384 * 1000) + 1000;

        Assert.Equal(22_050_664, backbone.CountParameters(rgb, MaeTestSupport.NoArguments) + head);
    }
}
