using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Tests.LanguageModels;
using GeoDsl.Runtime.VisionTowers;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.VisionTowers;

/// <summary>InternVL's pixel shuffle and mlp1: neighbour order, token count, names and the front end's count.</summary>
public sealed class InternVlProjectorTests
{
    [Fact]
    public void PixelShuffleConcatenatesEachTwoByTwoBlockRowByRow()
    {
        // A 4×4 grid of 1-channel tokens whose value is its index r·4 + s. Output token (0, 1) covers rows 0–1, columns 2–3:
        // (0,2) = 2, (0,3) = 3, (1,2) = 6, (1,3) = 7 in the order (m·2 + k) for row offset m and column offset k.
        var grid = torch.arange(16, dtype: ScalarType.Float32).reshape(1, 16, 1);
        var shuffled = InternVlProjector.PixelShuffle(grid, 2);
        Assert.Equal(new long[] { 1, 4, 4 }, shuffled.shape);
        Assert.Equal(new float[] { 2, 3, 6, 7 }, shuffled[0, 1].data<float>().ToArray());
        Assert.Equal(new float[] { 8, 9, 12, 13 }, shuffled[0, 2].data<float>().ToArray());
    }

    [Fact]
    public void AGridTheFactorDoesNotDivideIsReportedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => InternVlProjector.PixelShuffle(torch.zeros(1, 9, 4), 2));
        Assert.Contains("9 tokens", error.Message);
    }

    [Fact]
    public void TheProjectorHasInternVlsMlp1KeysAndDropsTheClassToken()
    {
        using var projector = new InternVlProjector(32, 48);
        Assert.Equal(
            new[] { "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias" }.ToHashSet(),
            projector.state_dict().Keys.ToHashSet());
        var output = projector.call(torch.randn(2, 1 + 16, 32));
        Assert.Equal(new long[] { 2, 4, 48 }, output.shape);
    }

    [Theory]
    [InlineData(1024, 2048)] // InternViT-300M → Qwen2.5-3B (InternVL2.5-4B): 12.6 M per backbone-facts §C2
    [InlineData(3200, 6144)] // InternViT-6B → InternLM2-20B (InternVL2-26B)
    public void TheRealSizeProjectorHasTheFrontEndsClosedFormCount(long towerWidth, long languageWidth)
    {
        using var projector = new InternVlProjector(towerWidth, languageWidth, 2, device: torch.META);
        var arguments = new ArgumentList(new[] { new Argument("factor", new IntValue(2)) }.ToEquatableArray());
        var shape = Projectors.Shape("pixel_shuffle_mlp", arguments, towerWidth, 32, languageWidth, rmsNorm: false);
        Assert.Equal(shape.Parameters, projector.ParameterCount());
        Assert.Equal(256, shape.TokensPerTile);
    }
}
