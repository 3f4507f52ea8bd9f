using GeoDsl.Runtime.LanguageModels;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.LanguageModels;

/// <summary>Rotary embeddings rotate the pair (i, i + d/2) by position · θ^(−2i/d).</summary>
public sealed class RotaryEmbeddingTests
{
    [Fact]
    public void PositionOneRotatesEachPairByItsFrequency()
    {
        // head_dim 4, θ = 100: frequencies 1 and 100^(−1/2) = 0.1. x = (1, 1, 0, 0) at position 1 becomes
        // (cos 1, cos 0.1, sin 1, sin 0.1).
        var rotary = new RotaryEmbedding(4, 100);
        var x = torch.tensor(new float[] { 1, 1, 0, 0 }).reshape(1, 1, 1, 4);
        var rotated = rotary.Apply(x, offset: 1).reshape(4);
        var expected = new[] { Math.Cos(1), Math.Cos(0.1), Math.Sin(1), Math.Sin(0.1) };
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], rotated[i].item<float>(), 5);
        }
    }

    [Fact]
    public void QueryKeyProductsDependOnlyOnThePositionDifference()
    {
        var rotary = new RotaryEmbedding(8, 1e6);
        var q = torch.randn(1, 1, 1, 8, generator: new Generator(3));
        var k = torch.randn(1, 1, 1, 8, generator: new Generator(4));
        var near = (rotary.Apply(q, 5) * rotary.Apply(k, 2)).sum().item<float>();
        var far = (rotary.Apply(q, 105) * rotary.Apply(k, 102)).sum().item<float>();
        Assert.Equal(near, far, 4);
    }

    [Fact]
    public void AnOddHeadWidthIsRejected() => Assert.Throws<ArgumentException>(() => new RotaryEmbedding(7, 1e6));
}
