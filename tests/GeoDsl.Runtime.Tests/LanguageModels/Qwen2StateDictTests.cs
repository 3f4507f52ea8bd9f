using GeoDsl.Runtime.LanguageModels;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>The decoder's state-dict keys and shapes are transformers' Qwen2ForCausalLM's.</summary>
public sealed class Qwen2StateDictTests
{
    private static IEnumerable<string> LayerKeys(int layer)
    {
        var prefix = $"model.layers.{layer}.";
        foreach (var projection in new[] { "q_proj", "k_proj", "v_proj" })
        {
            yield return prefix + $"self_attn.{projection}.weight";
            yield return prefix + $"self_attn.{projection}.bias";
        }

        yield return prefix + "self_attn.o_proj.weight";
        yield return prefix + "mlp.gate_proj.weight";
        yield return prefix + "mlp.up_proj.weight";
        yield return prefix + "mlp.down_proj.weight";
        yield return prefix + "input_layernorm.weight";
        yield return prefix + "post_attention_layernorm.weight";
    }

    private static HashSet<string> ExpectedKeys(bool withHead)
    {
        var keys = new HashSet<string> { "model.embed_tokens.weight", "model.norm.weight" };
        keys.UnionWith(LayerKeys(0));
        keys.UnionWith(LayerKeys(1));
        if (withHead)
        {
            keys.Add("lm_head.weight");
        }

        return keys;
    }

    [Fact]
    public void ATiedModelHasHuggingFaceKeysAndNoLmHead()
    {
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyQwen);
        Assert.Equal(ExpectedKeys(withHead: false), model.state_dict().Keys.ToHashSet());
    }

    [Fact]
    public void AnUntiedModelAddsLmHeadWeight()
    {
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyUntiedQwen);
        Assert.Equal(ExpectedKeys(withHead: true), model.state_dict().Keys.ToHashSet());
        Assert.Equal(new long[] { 61, 32 }, model.state_dict()["lm_head.weight"].shape);
    }

    [Fact]
    public void KeyAndValueProjectionsAreSizedForTheKeyValueHeads()
    {
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyQwen);
        var state = model.state_dict();
        Assert.Equal(new long[] { 4 * 8, 32 }, state["model.layers.0.self_attn.q_proj.weight"].shape);
        Assert.Equal(new long[] { 2 * 8, 32 }, state["model.layers.0.self_attn.k_proj.weight"].shape);
        Assert.Equal(new long[] { 2 * 8 }, state["model.layers.0.self_attn.v_proj.bias"].shape);
        Assert.Equal(new long[] { 32, 4 * 8 }, state["model.layers.0.self_attn.o_proj.weight"].shape);
        Assert.Equal(new long[] { 48, 32 }, state["model.layers.1.mlp.gate_proj.weight"].shape);
    }

    [Fact]
    public void OverridingTieWordEmbeddingsOnAnUntiedModelDropsTheLmHead()
    {
        using var model = new Qwen2ForCausalLM(LanguageModelTestModels.TinyUntiedQwen, tiedEmbeddings: true);
        Assert.DoesNotContain("lm_head.weight", model.state_dict().Keys);
    }
}
