using GeoDsl.Runtime.Backbones.Dofa;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.Dofa;

/// <summary>
/// State-dict names and shapes equal torchgeo's DOFA encoder (the names its published weights use), as listed in
/// bench/keys/dofa_*.txt by bench/tools/dynamic_vit_keys.py: the nested weight-generator names come from torch's own
/// TransformerEncoderLayer there. Learnable entries are parameters here and fixed ones (pos_embed) buffers.
/// </summary>
public sealed class DofaStateDictTests
{
    public static TheoryData<string> Variants => new(DofaTestModels.VariantNames);

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheStateDictKeysAndShapesEqualTheReferenceKeyList(string name)
    {
        using var model = new DofaViT(DofaTestModels.Published(name), name, device: torch.META);
        var expected = DofaTestModels.KeyList(name);
        var actual = model.state_dict();

        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, (shape, _)) in expected)
        {
            Assert.True(shape.SequenceEqual(actual[key].shape), $"{key}: reference [{string.Join(", ", shape)}], module [{string.Join(", ", actual[key].shape)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void LearnableEntriesAreParametersAndFixedOnesAreBuffers(string name)
    {
        using var model = new DofaViT(DofaTestModels.Published(name), name, device: torch.META);
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);

        foreach (var (key, (_, learnable)) in DofaTestModels.KeyList(name))
        {
            Assert.True(learnable == parameters.Contains(key), $"{key} should be {(learnable ? "a parameter" : "a buffer")}");
        }
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new DofaViT(DofaTestModels.Tiny());
        torch.manual_seed(4);
        using var target = new DofaViT(DofaTestModels.Tiny());
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var noGrad = torch.no_grad();
        var pixels = DofaTestModels.Pixels(2, 3, 32, 32);
        Assert.Equal(0f, DofaTestModels.MaxAbsDifference(source.Encode(pixels)[0], target.Encode(pixels)[0]));
    }
}
