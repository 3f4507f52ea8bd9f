using GeoDsl.Runtime.LanguageModels;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>Greedy decoding with the KV cache reproduces the cache-free computation token for token.</summary>
public sealed class Qwen2GenerationTests
{
    [Fact]
    public void CachedGreedyDecodingChoosesTheSameTokensFromTheSameLogits()
    {
        torch.manual_seed(11);
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyQwen);
        model.eval();
        var prompt = LanguageModelTestModels.Tokens(2, 7, 61, seed: 5);
        var embeddings = model.Embed(prompt);

        var cached = GreedyDecoding.Generate(model, embeddings, steps: 6, useCache: true);
        var recomputed = GreedyDecoding.Generate(model, embeddings, steps: 6, useCache: false);

        Assert.Equal(recomputed.Tokens.data<long>().ToArray(), cached.Tokens.data<long>().ToArray());
        Assert.True(cached.StepLogits.allclose(recomputed.StepLogits, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void TheCachedPromptPassGivesTheSameLogitsAsOneFullPass()
    {
        torch.manual_seed(12);
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyUntiedQwen);
        model.eval();
        using var noGrad = torch.no_grad();
        var tokens = LanguageModelTestModels.Tokens(1, 9, 61, seed: 6);
        var full = model.forward(tokens);

        using var cache = model.NewCache();
        var first = model.Logits(model.Embed(tokens[.., ..5]), cache);
        var rest = model.Logits(model.Embed(tokens[.., 5..]), cache);

        Assert.Equal(9, cache.Position);
        Assert.True(torch.cat(new[] { first, rest }, dim: 1).allclose(full, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void LaterTokensDoNotChangeTheLogitsOfEarlierOnes()
    {
        torch.manual_seed(13);
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyQwen);
        using var noGrad = torch.no_grad();
        var tokens = LanguageModelTestModels.Tokens(1, 8, 61, seed: 7);
        var altered = tokens.clone();
        altered[0, 7] = (tokens[0, 7] + 1) % 61;
        Assert.True(model.forward(tokens)[.., ..7].allclose(model.forward(altered)[.., ..7]));
    }
}
