using GeoDsl.Runtime.LanguageModels;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>A tiny InternVL-style model end to end: image tokens spliced at the placeholders, names, training, decoding.</summary>
public sealed class VlmModelTests
{
    private const long ImageToken = 60;

    private static VlmModel Tiny() => new(LanguageModelTestModels.TinyInternViT, LanguageModelTestModels.TinyQwen, ImageToken);

    // Text, 4 placeholders per tile for each of the tiles, text: a 4×4 patch grid shuffled by 2 gives 4 tokens per tile.
    private static Tensor Prompt(int tiles, int seed)
    {
        var text = LanguageModelTestModels.Tokens(1, 6, 50, seed);
        var placeholders = torch.full(new long[] { 1, 4 * tiles }, ImageToken, dtype: ScalarType.Int64);
        return torch.cat(new[] { text[.., ..3], placeholders, text[.., 3..] }, dim: 1);
    }

    [Fact]
    public void TheVisualTokensReplaceThePlaceholdersAndTheTextIsLeftAlone()
    {
        torch.manual_seed(41);
        using var model = Tiny();
        using var noGrad = torch.no_grad();
        var ids = Prompt(tiles: 2, seed: 1);
        var pixels = torch.randn(2, 3, 56, 56);

        var spliced = model.EmbedPrompt(ids, pixels);
        var text = model.LanguageModel.Embed(ids);
        var visual = model.EncodeImages(pixels).reshape(8, 32);

        Assert.Equal(4, model.TokensPerTile);
        Assert.True(spliced[0, 3..11].allclose(visual));
        Assert.True(spliced[0, ..3].allclose(text[0, ..3]));
        Assert.True(spliced[0, 11..].allclose(text[0, 11..]));
        Assert.Equal(new long[] { 1, 14, 61 }, model.Forward(ids, pixels).shape);
    }

    [Fact]
    public void APlaceholderCountThatDoesNotMatchTheTilesIsReportedWithTheNumbers()
    {
        using var model = Tiny();
        var error = Assert.Throws<ArgumentException>(() => model.EmbedPrompt(Prompt(tiles: 1, seed: 2), torch.randn(2, 3, 56, 56)));
        Assert.Contains("4 image placeholder tokens", error.Message);
        Assert.Contains("8 visual tokens", error.Message);
    }

    [Fact]
    public void TheStateDictUsesInternVlChatModelsPrefixes()
    {
        using var model = Tiny();
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("vision_model.embeddings.patch_embedding.weight", keys);
        Assert.Contains("vision_model.encoder.layers.1.ls2", keys);
        Assert.Contains("mlp1.0.weight", keys);
        Assert.Contains("mlp1.3.bias", keys);
        Assert.Contains("language_model.model.embed_tokens.weight", keys);
        Assert.Contains("language_model.model.layers.1.self_attn.k_proj.bias", keys);
        Assert.All(keys, k => Assert.Matches("^(vision_model|mlp1|language_model)\\.", k));
    }

    [Fact]
    public void ATrainingStepSendsFiniteGradientsIntoEveryPartAndAdamWMovesTheTower()
    {
        torch.manual_seed(42);
        using var model = Tiny();
        var ids = Prompt(tiles: 1, seed: 3);
        var labels = ids.clone();
        labels[labels.eq(ImageToken)] = torch.tensor(-100L);
        var pixels = torch.randn(1, 3, 56, 56);
        var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3);
        var patchBefore = model.state_dict()["vision_model.embeddings.patch_embedding.weight"].clone();

        var loss = NextTokenLoss.Of(model.Forward(ids, pixels), labels);
        loss.backward();
        Assert.True(loss.isfinite().item<bool>());
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is { } g && g.isfinite().all().item<bool>(), $"{p.name}: no finite gradient"));
        optimizer.step();

        var patchAfter = model.state_dict()["vision_model.embeddings.patch_embedding.weight"];
        Assert.False(patchAfter.allclose(patchBefore));
    }

    [Fact]
    public void CachedGreedyDecodingAfterAnImageMatchesTheCacheFreeComputation()
    {
        torch.manual_seed(43);
        using var model = Tiny();
        model.eval();
        var ids = Prompt(tiles: 1, seed: 4);
        var pixels = torch.randn(1, 3, 56, 56);
        var cached = model.Generate(ids, pixels, steps: 4, useCache: true);
        var recomputed = model.Generate(ids, pixels, steps: 4, useCache: false);
        Assert.Equal(recomputed.Tokens.data<long>().ToArray(), cached.Tokens.data<long>().ToArray());
        Assert.True(cached.StepLogits.allclose(recomputed.StepLogits, rtol: 1e-4, atol: 1e-5));
    }
}
