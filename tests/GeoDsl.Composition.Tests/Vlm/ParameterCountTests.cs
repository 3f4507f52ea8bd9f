using GeoDsl.Composition.Catalog.LanguageModels;
using GeoDsl.Composition.Catalog.VisionTowers;

namespace GeoDsl.Composition.Tests.Vlm;

/// <summary>Closed-form parameter counts of the language models and vision towers against published totals.</summary>
public sealed class ParameterCountTests
{
    // Hugging Face model cards (backbone-facts.md §C4): Qwen2.5 0.49 / 1.54 / 3.09 / 7.61 B, given to two decimals (within 0.01 B).
    [Theory]
    [InlineData("qwen2_5_0_5b", 0.49e9)]
    [InlineData("qwen2_5_1_5b", 1.54e9)]
    [InlineData("qwen2_5_3b", 3.09e9)]
    [InlineData("qwen2_5_7b", 7.61e9)]
    public void QwenTwoPointFiveCountsRoundToTheModelCards(string name, double published)
    {
        long total = LanguageModelCounts.Of(LanguageModels.Find(name)!).Total;
        Assert.InRange(total, published - 0.01e9, published + 0.01e9);
    }

    // Published totals of the other language models: Llama-3-70B 70.6 B, Yi-34B 34.4 B, Phi-3-mini 3.8 B, Llama-2-7B 6.74 B,
    // Qwen-7B 7.72 B (HF safetensors counts); Gemma 3 non-embedding 3,209 / 10,759 / 25,600 M (technical report, §C6).
    [Theory]
    [InlineData("llama_3_70b", 70.55e9, 0.001)]
    [InlineData("yi_34b", 34.39e9, 0.001)]
    [InlineData("phi_3_mini_128k", 3.82e9, 0.001)]
    [InlineData("llama_2_7b", 6.74e9, 0.001)]
    [InlineData("qwen_7b", 7.72e9, 0.001)]
    public void LanguageModelTotalsMatchTheirCards(string name, double published, double tolerance)
    {
        long total = LanguageModelCounts.Of(LanguageModels.Find(name)!).Total;
        Assert.InRange(total, published * (1 - tolerance), published * (1 + tolerance));
    }

    [Theory]
    [InlineData("gemma_3_4b", 3_209e6)]
    [InlineData("gemma_3_12b", 10_759e6)]
    [InlineData("gemma_3_27b", 25_600e6)]
    public void GemmaThreeNonEmbeddingCountsMatchTheTechnicalReport(string name, double published)
    {
        var counts = LanguageModelCounts.Of(LanguageModels.Find(name)!);
        Assert.Equal(published, Math.Round((counts.Total - counts.Embedding) / 1e6) * 1e6, 0);
    }

    [Fact]
    public void QwenTwoPointFiveHalfBillionIsCountedExactlyFromItsConfig()
    {
        // By hand: embedding 151,936 × 896; per block q 896·896 + 896, k and v 896·128 + 128 each, o 896·896, SwiGLU 3 · 896 · 4864,
        // two RMSNorms 2 · 896 = 14,912,384; 24 blocks; final norm 896.
        long expected = (151_936L * 896) + (24L * 14_912_384) + 896;
        Assert.Equal(expected, LanguageModelCounts.Of(LanguageModels.Find("qwen2_5_0_5b")!).Total);
        Assert.Equal(494_032_768, expected);
    }

    [Fact]
    public void UntyingTheEmbeddingsAddsOneVocabularyByHiddenMatrix()
    {
        var model = LanguageModels.Find("qwen2_5_3b")!;
        long tied = LanguageModelCounts.Of(model).Total;
        long untied = LanguageModelCounts.Of(model, tiedEmbeddings: false).Total;
        Assert.Equal(151_936L * 2048, untied - tied);
    }

    [Fact]
    public void GraniteFourTinyIsSevenBillionInAllAndAboutOneBillionActive()
    {
        // backbone-facts §C7: "~7 B total, ~1 B active" (the finer dims are unverified, so a band, not a figure).
        var counts = LanguageModelCounts.Of(LanguageModels.Find("granite_4_0_h_tiny")!);
        Assert.InRange(counts.Total, 6.5e9, 7.5e9);
        Assert.InRange(counts.Active, 0.9e9, 1.6e9);
    }

    // backbone-facts §C2/§C5/§C6: InternViT-300M 304.0 M, InternViT-6B-V1.5 5,540 M (card), SigLIP so400m at 896 px 416.9 M,
    // Qwen2-VL / Qwen2.5-VL towers with their merger 675.8 / 676.6 M.
    [Theory]
    [InlineData("intern_vit_300m_448px", 304.0e6, 0.0005)]
    [InlineData("intern_vit_6b_448px_v1_5", 5_540e6, 0.002)]
    [InlineData("siglip_so400m_896", 416.9e6, 0.0005)]
    public void VisionTowersMatchTheirPublishedCounts(string name, double published, double tolerance)
    {
        long total = VisionTowers.Find(name)!.Parameters();
        Assert.InRange(total, published * (1 - tolerance), published * (1 + tolerance));
    }

    [Theory]
    [InlineData("qwen2_vl_vit", false, 675.8e6)]
    [InlineData("qwen2_5_vl_vit", true, 676.6e6)]
    public void QwenVisionTowersWithTheirPatchMergerMatchTheModuleTree(string name, bool rmsNorm, double published)
    {
        var tower = VisionTowers.Find(name)!;
        var merger = Projectors.Shape("patch_merger", new GeoDsl.Composition.Specs.ArgumentList(GeoDsl.Composition.Helpers.EquatableArray.Create(new GeoDsl.Composition.Specs.Argument("factor", new GeoDsl.Composition.Specs.IntValue(2)))), tower.Width, 32, 3584, rmsNorm);
        Assert.Equal(published, Math.Round((tower.Parameters() + merger.Parameters) / 1e5) * 1e5, 0);
    }

    [Fact]
    public void InternVlProjectorForQwenTwoPointFiveThreeBillionIsTwelvePointSixMillion()
    {
        // §C2: LayerNorm(4096) → Linear(4096, 2048) → GELU → Linear(2048, 2048) = 12.6 M.
        var shape = Projectors.Shape("pixel_shuffle_mlp", new GeoDsl.Composition.Specs.ArgumentList(GeoDsl.Composition.Helpers.EquatableArray.Create(new GeoDsl.Composition.Specs.Argument("factor", new GeoDsl.Composition.Specs.IntValue(2)))), 1024, 32, 2048, false);
        Assert.Equal((2 * 4096) + (4096 * 2048) + 2048 + (2048 * 2048) + 2048, shape.Parameters);
        Assert.Equal(256, shape.TokensPerTile);
    }
}
