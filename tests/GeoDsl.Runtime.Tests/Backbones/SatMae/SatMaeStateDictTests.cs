using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Runtime.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>
/// State-dict keys, shapes and trainability equal the reference encoders' (bench/keys/NAME.txt, written by
/// bench/tools/mae_family_keys.py from sustainlab-group/SatMAE models_vit_group_channels.py and models_vit_temporal.py
/// @b182634), so SatMAE checkpoints load by name.
/// </summary>
public sealed class SatMaeStateDictTests
{
    [Theory]
    [InlineData("satmae_vit_base_multispectral")]
    [InlineData("satmae_vit_large_multispectral")]
    public void TheGroupChannelEncoderHasTheReferenceKeysAndShapes(string name)
    {
        var backbone = (SatMaeMultispectralBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new SatMaeGroupChannelViT(SatMaeGroupChannelViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        Assert.Equal(MaeTestSupport.ReferenceKeys(name), MaeTestSupport.Entries(module));
    }

    [Fact]
    public void TheTemporalEncoderHasTheReferenceKeysAndShapes()
    {
        var backbone = (SatMaeTemporalBackbone)MaeTestSupport.Backbone("satmae_vit_large_temporal");
        var input = MaeTestSupport.PublishedInput(backbone, frames: 3);
        using var module = new SatMaeTemporalViT(SatMaeTemporalViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), device: torch.META);

        Assert.Equal(MaeTestSupport.ReferenceKeys("satmae_vit_large_temporal"), MaeTestSupport.Entries(module));
    }

    [Fact]
    public void TheGroupsIndexTheInputBandsByNameWhateverTheirOrder()
    {
        var backbone = (SatMaeMultispectralBackbone)MaeTestSupport.Backbone("satmae_vit_base_multispectral");
        var reversed = MaeTestSupport.PublishedInput(backbone) with
        {
            Bands = SatMaeVariants.MultispectralBands.Reverse().Prepend("COASTAL_AEROSOL").ToEquatableArray(),
        };

        var groups = backbone.Resolve(reversed, MaeTestSupport.NoArguments).ChannelGroups;

        // Input: COASTAL_AEROSOL, SWIR_2, SWIR_1, NIR_NARROW, NIR_BROAD, RED_EDGE_3, RED_EDGE_2, RED_EDGE_1, RED, GREEN, BLUE.
        Assert.Equal(new[] { 10, 9, 8, 4 }, groups[0]);
        Assert.Equal(new[] { 7, 6, 5, 3 }, groups[1]);
        Assert.Equal(new[] { 2, 1 }, groups[2]);
    }
}
