using GeoDsl.Runtime.Backbones.Clay;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// State-dict names and shapes equal Clay's Encoder (claymodel/model.py, embedding.py, layers.py), which the published
/// checkpoints hold under "model.encoder.", as listed in bench/keys/clay_*.txt by bench/tools/dynamic_vit_keys.py. Clay
/// computes its position encoding on the fly, so every entry is a learnable parameter.
/// </summary>
public sealed class ClayStateDictTests
{
    public static TheoryData<string> Variants => new(ClayTestModels.VariantNames);

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheStateDictKeysAndShapesEqualTheReferenceKeyList(string name)
    {
        using var model = new ClayEncoder(ClayTestModels.Published(name), name, device: torch.META);
        var expected = ClayTestModels.KeyList(name);
        var actual = model.state_dict();

        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, (shape, _)) in expected)
        {
            Assert.True(shape.SequenceEqual(actual[key].shape), $"{key}: reference [{string.Join(", ", shape)}], module [{string.Join(", ", actual[key].shape)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryEntryIsALearnableParameter(string name)
    {
        using var model = new ClayEncoder(ClayTestModels.Published(name), name, device: torch.META);

        Assert.All(ClayTestModels.KeyList(name).Values, entry => Assert.True(entry.Learnable));
        Assert.Empty(model.named_buffers());
        Assert.Equal(model.state_dict().Count, model.named_parameters().Count());
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new ClayEncoder(ClayTestModels.Tiny());
        torch.manual_seed(4);
        using var target = new ClayEncoder(ClayTestModels.Tiny());
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(2, 3, 32, 32);
        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(source.Encode(pixels)[0], target.Encode(pixels)[0]));
    }
}
