using GeoDsl.Runtime.Backbones.TerraMind;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.TerraMind;

/// <summary>
/// The state dict of every real-size encoder (six image modalities, img_size 224) equals the committed key list
/// bench/keys/&lt;model&gt;.txt, written by bench/tools/terramind_keys.py from TerraTorch's terramind_vit.py,
/// encoder_embeddings.py and tm_utils.py: same keys, shapes, and parameter/buffer split. Built on the meta device.
/// </summary>
public sealed class TerraMindStateDictTests
{
    public static TheoryData<string> Variants => new(TerraMindTestModels.VariantNames);

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheKeysEqualTheCommittedKeyList(string name)
    {
        var expected = TerraMindTestModels.KeyList(name);
        using var model = new TerraMindViT(TerraMindViTOptions.For(name, TerraMindTestModels.AllImageModalities), name, device: torch.META);
        var keys = model.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), keys);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryTensorHasTheShapeAndKindOfTheKeyList(string name)
    {
        var expected = TerraMindTestModels.KeyList(name);
        using var model = new TerraMindViT(TerraMindViTOptions.For(name, TerraMindTestModels.AllImageModalities), name, device: torch.META);
        var state = model.state_dict();
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);

        foreach (var (key, (shape, isParameter)) in expected)
        {
            Assert.True(state.ContainsKey(key), $"missing {key}");
            Assert.True(shape.SequenceEqual(state[key].shape), $"{key}: expected [{string.Join(", ", shape)}], got [{string.Join(", ", state[key].shape)}]");
            Assert.True(isParameter == parameters.Contains(key), $"{key} should be a {(isParameter ? "parameter" : "buffer")}");
        }
    }

    [Fact]
    public void ConcatAddsTheMissingModalityTokenAsAParameter()
    {
        using var model = new TerraMindViT(TerraMindTestModels.Tiny(merge: "concat"));
        Assert.Equal(new long[] { 32 }, model.state_dict()["missing_mod_token"].shape);
        Assert.Contains("missing_mod_token", model.named_parameters().Select(p => p.name));

        using var mean = new TerraMindViT(TerraMindTestModels.Tiny());
        Assert.DoesNotContain("missing_mod_token", mean.state_dict().Keys);
    }

    [Fact]
    public void TinyAndSmallCarryBiasesAndBaseAndLargeAGatedMlpWithout()
    {
        using var tiny = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_tiny"));
        using var @base = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_base"));
        var tinyKeys = tiny.state_dict().Keys.ToHashSet();
        var baseKeys = @base.state_dict().Keys.ToHashSet();

        Assert.Contains("encoder.0.attn.qkv.bias", tinyKeys);
        Assert.Contains("encoder.0.mlp.fc1.bias", tinyKeys);
        Assert.DoesNotContain("encoder.0.mlp.fc3.weight", tinyKeys);
        Assert.Contains("encoder.0.mlp.fc3.weight", baseKeys);
        Assert.DoesNotContain(baseKeys, k => k.EndsWith(".bias", StringComparison.Ordinal) && !k.Contains("norm", StringComparison.Ordinal));
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_base", "concat"));
        torch.manual_seed(4);
        using var target = new TerraMindViT(TerraMindTestModels.Tiny("terramind_v1_base", "concat"));
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = TerraMindTestModels.Pixels(2, 5, 32, 48);
        var a = source.Encode(pixels);
        var b = target.Encode(pixels);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, TerraMindTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
