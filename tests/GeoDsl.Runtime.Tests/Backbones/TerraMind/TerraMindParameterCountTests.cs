using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.TerraMind;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// Learnable parameters of the real-size encoders, built on the meta device (nothing allocated), against the front end's
/// closed form and the published or computed figures. Transformer (blocks + encoder_norm, backbone-facts.md §A2 "(C)"):
/// tiny 12 × 444,480 + 192 = 5,333,952 (5.3 M); small 12 × 1,773,696 + 384 = 21,284,736 (21.3 M); base 12 × 7,079,424 + 768
/// = 84,953,856 (85.0 M); large 24 × 12,582,912 + 1,024 = 301,990,912 (302.0 M). Each modality adds C·256·D + D.
/// </summary>
public sealed class TerraMindParameterCountTests
{
    public static TheoryData<string, long> TransformerCounts => new()
    {
        { "terramind_v1_tiny", 5_333_952 },
        { "terramind_v1_small", 21_284_736 },
        { "terramind_v1_base", 84_953_856 },
        { "terramind_v1_large", 301_990_912 },
    };

    public static TheoryData<string, string> VariantsAndMerges()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in TerraMindTestModels.VariantNames)
        {
            data.Add(name, "mean");
            data.Add(name, "concat");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsAndMerges))]
    public void TheRuntimeEncoderHasTheFrontEndsCountForEveryVariant(string name, string merge)
    {
        var descriptor = TerraMindTestModels.Descriptor(name);
        var input = TerraMindTestModels.InputWith(224, "S2L1C", "S1GRD");
        var args = TerraMindTestModels.Arguments(descriptor, ("modalities", TerraMindTestModels.Names("S2L1C", "S1GRD")), ("merge_method", new NameValue(merge)));

        using var model = new TerraMindViT(TerraMindViTOptions.For(name, "S2L1C", "S1GRD") with { MergeMethod = merge }, name, device: torch.META);

        Assert.Equal(descriptor.CountParameters(input, args), model.LearnableCount());
    }

    [Theory]
    [MemberData(nameof(TransformerCounts))]
    public void TheTransformerPartMatchesTheComputedFigureOfBackboneFacts(string name, long expected)
    {
        var descriptor = TerraMindTestModels.Descriptor(name);
        var arch = descriptor.Resolve(TerraMindTestModels.InputWith(224, "S2L2A"), TerraMindTestModels.Arguments(descriptor))!;

        Assert.Equal(expected, TerraMindBackbone.CountTransformerParameters(arch));

        // backbone-facts.md rounds to 0.1 M: 5.3, 21.3, 85.0, 302.0.
        var facts = new Dictionary<string, double> { ["terramind_v1_tiny"] = 5.3, ["terramind_v1_small"] = 21.3, ["terramind_v1_base"] = 85.0, ["terramind_v1_large"] = 302.0 };
        Assert.Equal(facts[name], Math.Round(expected / 1e6, 1));
    }

    [Theory]
    [MemberData(nameof(TransformerCounts))]
    public void TheRuntimeTransformerWithoutEmbeddingsHasTheComputedCount(string name, long expected)
    {
        using var model = new TerraMindViT(TerraMindViTOptions.For(name, "DEM"), name, device: torch.META);
        long embeddings = model.named_parameters().Where(p => p.name.StartsWith("encoder_embeddings.", StringComparison.Ordinal)).Sum(p => p.parameter.numel());

        Assert.Equal(expected, model.LearnableCount() - embeddings);
    }

    [Fact]
    public void TinyWithOneThreeBandImageHasTheCountTerraTorchReports()
    {
        // 5,333,952 + 3·256·192 + 192: the count a TerraTorch 1.2.13 validation of TerraMind_v1_tiny.pt reports for a
        // 3-channel image input (5,481,600; a third-party report, so also checked against the closed form above).
        using var model = new TerraMindViT(TerraMindViTOptions.For("terramind_v1_tiny", "S2RGB"), device: torch.META);
        Assert.Equal(5_481_600, model.LearnableCount());
    }

    [Fact]
    public void BaseAndLargeUseTheSwiGluHiddenWidthsOfPitfallFive()
    {
        Assert.Equal(2048, TerraMindViTOptions.For("terramind_v1_base", "S2L2A").MlpHidden);
        Assert.Equal(2730, TerraMindViTOptions.For("terramind_v1_large", "S2L2A").MlpHidden);
        Assert.Equal(768, TerraMindViTOptions.For("terramind_v1_tiny", "S2L2A").MlpHidden);
        Assert.Equal(1536, TerraMindViTOptions.For("terramind_v1_small", "S2L2A").MlpHidden);
    }

    [Fact]
    public void TheLayerNormBiasesAndPositionTablesAreBuffersNotParameters()
    {
        using var model = new TerraMindViT(TerraMindTestModels.Tiny());
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet();

        Assert.Contains("encoder.0.norm1.bias", buffers);
        Assert.Contains("encoder_norm.bias", buffers);
        Assert.Contains("encoder_embeddings.untok_sen2rgb@224.pos_emb", buffers);
        Assert.DoesNotContain(parameters, p => p.EndsWith("norm1.bias", StringComparison.Ordinal) || p.EndsWith("pos_emb", StringComparison.Ordinal));
        Assert.Contains("encoder_embeddings.untok_sen2rgb@224.mod_emb", parameters);
    }
}
