using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Runtime.Tests.LanguageModels;
using GeoDsl.Runtime.VisionTowers;
using TorchSharp;
using Towers = GeoDsl.Composition.Catalog.VisionTowers.VisionTowers;

namespace GeoDsl.Runtime.Tests.VisionTowers;

/// <summary>InternViT: checkpoint names, real-size counts against the catalog and the model cards, token shapes.</summary>
public sealed class InternVisionModelTests
{
    [Fact]
    public void TheThreeHundredMTowerHasTheCheckpointsKeys()
    {
        using var tower = new InternVisionModel(LanguageModelTestModels.TinyInternViT);
        var keys = tower.state_dict().Keys.ToHashSet();
        var expected = new HashSet<string>
        {
            "embeddings.class_embedding", "embeddings.position_embedding", "embeddings.patch_embedding.weight", "embeddings.patch_embedding.bias",
        };
        for (var i = 0; i < 2; i++)
        {
            foreach (var key in new[]
            {
                "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight",
                "mlp.fc2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "ls1", "ls2",
            })
            {
                expected.Add($"encoder.layers.{i}.{key}");
            }
        }

        Assert.Equal(expected, keys);
    }

    [Fact]
    public void TheSixBTowerHasRmsNormsAndQkNormsAndNoQkvBias()
    {
        using var tower = new InternVisionModel(LanguageModelTestModels.TinyInternViT6B);
        var keys = tower.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.layers.1.attn.q_norm.weight", keys);
        Assert.Contains("encoder.layers.1.attn.k_norm.weight", keys);
        Assert.DoesNotContain("encoder.layers.1.attn.qkv.bias", keys);
        Assert.DoesNotContain("encoder.layers.1.norm1.bias", keys);
        Assert.Equal(new long[] { 32 }, tower.state_dict()["encoder.layers.0.attn.q_norm.weight"].shape);
    }

    /// <remarks>
    /// Cards: InternViT-300M-448px 304 M, InternViT-6B-448px-V1-5 5,540 M (backbone-facts.md §C2). The 6B count comes to
    /// 5,536.5 M, 0.06 % under its card's four-digit figure, so the card check allows 0.1 %.
    /// </remarks>
    [Theory]
    [InlineData("intern_vit_300m_448px", 304.0)]
    [InlineData("intern_vit_300m_448px_v2_5", 304.0)]
    [InlineData("intern_vit_6b_448px_v1_5", 5540.0)]
    public void TheRealSizeTowerHasTheCatalogCountAndTheCardsTotal(string name, double publishedMillions)
    {
        var config = Towers.Find(name)!;
        using var tower = new InternVisionModel(config, device: torch.META);
        var count = tower.ParameterCount();
        Assert.Equal(config.Parameters(), count);
        Assert.InRange(count / 1e6, publishedMillions * 0.999, publishedMillions * 1.001);
    }

    [Fact]
    public void ATileGivesTheClassTokenAndOneTokenPerPatch()
    {
        torch.manual_seed(31);
        using var tower = new InternVisionModel(LanguageModelTestModels.TinyInternViT);
        var tokens = tower.call(torch.randn(3, 3, 56, 56));
        Assert.Equal(new long[] { 3, 1 + 16, 32 }, tokens.shape);
    }

    [Fact]
    public void ALargerTileResizesTheLearnedPositionsInsteadOfFailing()
    {
        torch.manual_seed(32);
        using var tower = new InternVisionModel(LanguageModelTestModels.TinyInternViT);
        var tokens = tower.call(torch.randn(1, 3, 84, 84));
        Assert.Equal(new long[] { 1, 1 + 36, 32 }, tokens.shape);
        Assert.True(tokens.isfinite().all().item<bool>());
    }

    [Fact]
    public void ANonInternViTTowerIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => new InternVisionModel(Towers.Find("qwen2_5_vl_vit")!, device: torch.META));
        Assert.Contains("qwen2_5_vl_vit", error.Message);
    }
}
