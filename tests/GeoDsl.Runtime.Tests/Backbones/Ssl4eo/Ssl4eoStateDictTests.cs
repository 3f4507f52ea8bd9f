using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Ssl4eo;
using GeoDsl.Runtime.Tests.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Ssl4eo;

/// <summary>
/// State-dict keys, shapes and trainability equal timm's <c>vit_small_patch16_224(in_chans=C, num_classes=0)</c>, the
/// layout of torchgeo's published weights (bench/keys/NAME.txt).
/// </summary>
public sealed class Ssl4eoStateDictTests
{
    public static TheoryData<string> Variants => new(Ssl4eoVariants.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheEncoderHasTheReferenceKeysAndShapes(string name)
    {
        var backbone = (Ssl4eoViTBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new Ssl4eoViT(Ssl4eoViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        Assert.Equal(MaeTestSupport.ReferenceKeys(name), MaeTestSupport.Entries(module));
    }

    [Theory]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_tm_toa_moco", 7)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_etm_toa_simclr", 9)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_etm_sr_moco", 6)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_oli_tirs_toa_simclr", 11)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_oli_sr_simclr", 7)]
    [InlineData("ssl4eos12_vit_small_patch16_224_sentinel2_all_dino", 13)]
    public void ThePretrainedBandsAreTheSensorsAsTorchgeoCountsThem(string name, int inChans)
    {
        Assert.Equal(inChans, MaeTestSupport.Backbone(name).PretrainedBands.Count);
    }
}
