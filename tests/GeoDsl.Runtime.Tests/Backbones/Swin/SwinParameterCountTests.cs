using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.Swin;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// Learnable parameter counts: the front end's closed form equals the runtime module built on the meta device for every
/// Swin in the catalog, and both equal the reference figures: torchvision's with the 1000-class classifier
/// (backbone-facts.md, verified on torchvision 0.14.1: swin_t 28,288,354, swin_b 87,768,224, swin_v2_t 28,351,570,
/// swin_v2_b 87,930,848; the catalog's feature extractors leave out the final norm and head, 2·8C + 8C·1000 + 1000) and
/// the headers of the key lists bench/tools/swin_family_keys.py wrote from torchvision (Satlas, 9 bands, classifier
/// kept as TerraTorch keeps it) and from the restated TerraTorch Prithvi-Swin (6 bands, features only).
/// </summary>
public sealed class SwinParameterCountTests
{
    public static TheoryData<string> AllSwins() => new(SwinTestModels.TorchvisionNames.Concat(SwinTestModels.SatlasNames).Concat(SwinTestModels.PrithviNames));

    public static TheoryData<string, long> Published => new()
    {
        { "swin_t", 28_288_354 },
        { "swin_b", 87_768_224 },
        { "swin_v2_t", 28_351_570 },
        { "swin_v2_b", 87_930_848 },
    };

    public static TheoryData<string, string> KeyListHeaders => new()
    {
        { "swin_t", "swin_t" },
        { "swin_b", "swin_b" },
        { "swin_v2_t", "swin_v2_t" },
        { "swin_v2_b", "swin_v2_b" },
        { "satlas_swin_t_sentinel2_si_ms", "satlas_swin_t_sentinel2_si_ms" },
        { "satlas_swin_t_sentinel2_mi_ms", "satlas_swin_t_sentinel2_si_ms" },
        { "satlas_swin_b_sentinel2_si_ms", "satlas_swin_b_sentinel2_si_ms" },
        { "satlas_swin_b_sentinel2_mi_ms", "satlas_swin_b_sentinel2_si_ms" },
        { "prithvi_swin_B", "prithvi_swin_B" },
        { "prithvi_swin_L", "prithvi_swin_L" },
    };

    [Theory]
    [MemberData(nameof(AllSwins))]
    public void TheFrontEndCountEqualsTheRuntimeModuleAtRealSize(string name)
    {
        var descriptor = SwinTestModels.Descriptor(name);
        var input = SwinTestModels.PretrainedInput(descriptor);
        using var module = SwinTestModels.BuildReal(name, input);
        Assert.Equal(descriptor.CountParameters(input, SwinTestModels.DefaultArguments(descriptor)), module.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void WithTheImageNetClassifierTheTorchvisionSwinsHaveTorchvisionsVerifiedCount(string name, long expected)
    {
        var descriptor = (SwinBackbone)SwinTestModels.Descriptor(name);
        var architecture = descriptor.Resolve(SwinTestModels.PretrainedInput(descriptor), SwinTestModels.DefaultArguments(descriptor));
        using var module = SwinTestModels.BuildReal(name, classes: 1000);
        Assert.Equal(expected, module.ParameterCount());
        Assert.Equal(expected, SwinRules.TorchvisionParameters(architecture, classes: 1000));
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void TheCatalogsFeatureExtractorIsTheVerifiedCountLessTheFinalNormAndHead(string name, long published)
    {
        var descriptor = SwinTestModels.Descriptor(name);
        long last = 8L * ((SwinBackbone)descriptor).Variant.Shape.EmbedDim;
        long classifier = (2 * last) + (last * 1000) + 1000;
        Assert.Equal(published - classifier, descriptor.CountParameters(SwinTestModels.PretrainedInput(descriptor), SwinTestModels.DefaultArguments(descriptor)));
    }

    [Theory]
    [MemberData(nameof(KeyListHeaders))]
    public void TheCountEqualsTheReferenceCountInTheKeyListHeader(string name, string keyList)
    {
        using var module = SwinTestModels.BuildReal(name, classes: 1000);
        Assert.Equal(SwinKeyList.Read(keyList).Parameters, module.ParameterCount());
    }

    [Fact]
    public void PrithviSwinBuildsOnlyTheStagesItsOutIndicesNeed()
    {
        var descriptor = SwinTestModels.Descriptor("prithvi_swin_B");
        var input = SwinTestModels.PretrainedInput(descriptor);
        var twoStages = SwinTestModels.Ints("out_indices", 0, 1);
        using var module = (PrithviSwinTransformer)SwinTestModels.BuildReal("prithvi_swin_B", input, new[] { twoStages });

        Assert.Equal(2, module.BuiltStages);
        Assert.Equal(descriptor.CountParameters(input, SwinTestModels.DefaultArguments(descriptor, twoStages)), module.ParameterCount());
        Assert.True(module.ParameterCount() < SwinKeyList.Read("prithvi_swin_B").Parameters);
    }

    [Fact]
    public void RelativePositionIndicesAndCoordinateTablesAreBuffersNotParameters()
    {
        using var v1 = new SwinTransformer(SwinTestModels.Tiny(), device: torch.META);
        using var v2 = new SwinTransformer(SwinTestModels.Tiny(v2: true), device: torch.META);
        var parameters = v1.named_parameters().Concat(v2.named_parameters()).Select(p => p.name).ToList();
        var buffers = v1.named_buffers().Concat(v2.named_buffers()).Select(b => b.name).ToList();

        Assert.DoesNotContain(parameters, p => p.EndsWith("relative_position_index", StringComparison.Ordinal) || p.EndsWith("relative_coords_table", StringComparison.Ordinal));
        Assert.Contains("features.1.0.attn.relative_position_index", buffers);
        Assert.Contains("features.1.0.attn.relative_coords_table", buffers);
        Assert.Contains("features.1.0.attn.relative_position_bias_table", parameters);
        Assert.Contains("features.1.0.attn.logit_scale", parameters);
    }
}
