using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.SatMae;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.SatMae;

/// <summary>
/// Learnable parameters of the published SatMAE encoders, built at real size on the meta device. The closed form of
/// the front end, the TorchSharp module and the key list written from the reference source agree. For ViT-L
/// multispectral (patch 8, 96 px, groups of 4, 4 and 2 bands): patch embeddings 1024·(10·64 + 3) = 658,432, class token
/// 1,024, pos_embed 145 × 768 = 111,360, group tables 3 × 256 + 256 = 1,024, 24 blocks × 12,596,224 and the final norm
/// 2,048: 303,083,264 ≈ 303 M (backbone-facts.md §A3 "≈303 M for L (C)").
/// </summary>
public sealed class SatMaeParameterCountTests
{
    public static TheoryData<string> Multispectral => new(SatMaeVariants.Multispectral.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Multispectral))]
    public void TheFrontEndCountEqualsTheGroupChannelModuleCount(string name)
    {
        var backbone = (SatMaeMultispectralBackbone)MaeTestSupport.Backbone(name);
        var input = MaeTestSupport.PublishedInput(backbone);
        using var module = new SatMaeGroupChannelViT(SatMaeGroupChannelViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), name, torch.META);

        Assert.Equal(backbone.CountParameters(input, MaeTestSupport.NoArguments), MaeTestSupport.LearnableParameters(module));
    }

    [Fact]
    public void TheFrontEndCountEqualsTheTemporalModuleCount()
    {
        var backbone = (SatMaeTemporalBackbone)MaeTestSupport.Backbone("satmae_vit_large_temporal");
        var input = MaeTestSupport.PublishedInput(backbone, frames: 3);
        using var module = new SatMaeTemporalViT(SatMaeTemporalViTOptions.From(backbone.Resolve(input, MaeTestSupport.NoArguments)), device: torch.META);

        Assert.Equal(backbone.CountParameters(input, MaeTestSupport.NoArguments), MaeTestSupport.LearnableParameters(module));
    }

    [Theory]
    [InlineData("satmae_vit_large_multispectral", 303_083_264)]
    [InlineData("satmae_vit_base_multispectral", 85_625_856)]
    [InlineData("satmae_vit_large_temporal", 303_225_984)]
    public void ThePublishedEncoderHasTheCountOfItsReferenceKeyList(string name, long expected)
    {
        var backbone = MaeTestSupport.Backbone(name);
        int frames = name.EndsWith("temporal", StringComparison.Ordinal) ? 3 : 1;

        Assert.Equal(expected, backbone.CountParameters(MaeTestSupport.PublishedInput(backbone, frames), MaeTestSupport.NoArguments));
        Assert.Equal(expected, MaeTestSupport.ReferenceKeys(name).Where(e => e.Learnable).Sum(e => Elements(e.Shape)));
    }

    [Fact]
    public void TheLargeEncodersAreAbout303MillionParametersAsBackboneFactsComputes()
    {
        foreach (var name in new[] { "satmae_vit_large_multispectral", "satmae_vit_large_temporal" })
        {
            var backbone = MaeTestSupport.Backbone(name);
            long count = backbone.CountParameters(MaeTestSupport.PublishedInput(backbone, name.EndsWith("temporal", StringComparison.Ordinal) ? 3 : 1), MaeTestSupport.NoArguments);
            Assert.InRange(count, 302_500_000, 303_499_999);
        }
    }

    internal static long Elements(string shape) =>
        shape.Trim('[', ']').Split(", ").Aggregate(1L, (product, d) => product * long.Parse(d, System.Globalization.CultureInfo.InvariantCulture));
}
