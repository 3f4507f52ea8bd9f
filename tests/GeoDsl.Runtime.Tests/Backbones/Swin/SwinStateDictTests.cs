using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Swin;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// State-dict keys and shapes (and the order of the parameters) equal the reference's, so published checkpoints load by name: torchvision's own
/// lists for swin_t/b and swin_v2_t/b (bench/keys/*.txt from Debian's torchvision 0.14.1 via
/// bench/tools/dump_state_dict_keys.py), torchvision's Swin-v2 under TerraTorch's <c>swin_model</c> with a 9-band first conv
/// for Satlas (bench/tools/swin_family_keys.py; other variants differ only in that conv's input channels), and TerraTorch's
/// MMSeg-style Swin as timm's features-only wrapper keeps it for Prithvi-Swin (restated from the source by the same
/// script: terratorch/models/backbones/swin_encoder_decoder.py @c9b948b, prithvi_swin.py @1c9812f).
/// </summary>
public sealed class SwinStateDictTests
{
    public static TheoryData<string> Torchvision() => new(SwinTestModels.TorchvisionNames);

    public static TheoryData<string> Satlas() => new(SwinTestModels.SatlasNames);

    public static TheoryData<string> Prithvi() => new(SwinTestModels.PrithviNames);

    [Theory]
    [MemberData(nameof(Torchvision))]
    public void WithTheImageNetClassifierTheTorchvisionSwinsHaveTorchvisionsKeysAndShapes(string name)
    {
        using var module = SwinTestModels.BuildReal(name, classes: 1000);
        SwinKeyList.Read(name).AssertMatches(module);
    }

    [Theory]
    [MemberData(nameof(Torchvision))]
    public void TheCatalogsFeatureExtractorIsTorchvisionsStateDictWithoutTheFinalNormAndHead(string name)
    {
        using var module = SwinTestModels.BuildReal(name);
        var all = SwinKeyList.Read(name);
        (all with { Lines = all.Lines.Where(l => l.StartsWith("features.", StringComparison.Ordinal)).ToList() }).AssertMatches(module);
    }

    [Theory]
    [MemberData(nameof(Satlas))]
    public void EverySatlasVariantHasTerraTorchsKeysWithItsBandsInTheFirstConv(string name)
    {
        var variant = SwinVariants.Satlas.Single(v => v.Name == name);
        string architecture = variant.Shape.EmbedDim == 96 ? "satlas_swin_t_sentinel2_si_ms" : "satlas_swin_b_sentinel2_si_ms";
        var expected = SwinKeyList.Read(architecture).WithShape("swin_model.features.0.0.weight", variant.Shape.EmbedDim, variant.PretrainedBands.Count, 4, 4);

        using var module = SwinTestModels.BuildReal(name);
        expected.AssertMatches(module);
    }

    [Theory]
    [MemberData(nameof(Prithvi))]
    public void PrithviSwinHasTerraTorchsFeaturesOnlyKeysShapesAndOrder(string name)
    {
        using var module = SwinTestModels.BuildReal(name);
        SwinKeyList.Read(name).AssertMatches(module);
    }

    [Fact]
    public void PrithviSwinWithTwoOutputsKeepsTheKeysOfTheFirstTwoStagesOnly()
    {
        using var module = SwinTestModels.BuildReal("prithvi_swin_B", null, new[] { SwinTestModels.Ints("out_indices", 1, 0) });
        var all = SwinKeyList.Read("prithvi_swin_B");
        var expected = all with
        {
            Lines = all.Lines.Where(l => l.StartsWith("patch_embed.", StringComparison.Ordinal) || l.StartsWith("stages_0.", StringComparison.Ordinal)
                || l.StartsWith("stages_1.", StringComparison.Ordinal)).ToList(),
        };
        expected.AssertMatches(module);
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheFeatures()
    {
        torch.manual_seed(3);
        using var source = new SwinTransformer(SwinTestModels.TinyShifted(v2: true));
        torch.manual_seed(4);
        using var target = new SwinTransformer(SwinTestModels.TinyShifted(v2: true));
        source.eval();
        target.eval();
        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var noGrad = torch.no_grad();
        var pixels = SwinTestModels.Pixels(2, 3, 64, 64);
        var a = source.call(new Features.BackboneInput(pixels));
        var b = target.call(new Features.BackboneInput(pixels));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, SwinTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
