using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// out_indices as TerraTorch's _create_prithvi applies them (<c>[features[i] for i in out_indices]</c>, Python
/// indexing), and the final norm on the last block's output only (forward_features: <c>out[-1] = self.norm(x)</c>).
/// </summary>
public sealed class PrithviOutIndicesTests
{
    private static TokenFeatures Run(PrithviViT model, Tensor pixels) => model.call(new BackboneInput(pixels));

    [Fact]
    public void WithoutOutIndicesEveryBlockIsReturned()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny(depth: 4));
        Assert.Equal(new[] { 0, 1, 2, 3 }, model.OutIndices);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Assert.Equal(4, Run(model, PrithviTestModels.Pixels(1, 3, 2, 8, 8)).Count);
    }

    [Fact]
    public void NegativeAndPositiveIndicesSelectTheSameBlocksAsPython()
    {
        torch.manual_seed(7);
        using var all = new PrithviViT(PrithviTestModels.Tiny(depth: 4));
        using var some = new PrithviViT(PrithviTestModels.Tiny(depth: 4) with { OutIndices = new[] { 0, -1, 2, -3 } });
        some.load_state_dict(all.state_dict());
        all.eval();
        some.eval();
        Assert.Equal(new[] { 0, 3, 2, 1 }, some.OutIndices);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = PrithviTestModels.Pixels(2, 3, 2, 8, 8);
        var full = Run(all, pixels);
        var selected = Run(some, pixels);
        Assert.Equal(4, selected.Count);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(full[0], selected[0]));
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(full[3], selected[1]));
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(full[2], selected[2]));
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(full[1], selected[3]));
    }

    [Fact]
    public void OnlyTheLastBlocksOutputPassesThroughTheFinalNorm()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny(depth: 3));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = PrithviTestModels.Pixels(2, 3, 2, 8, 8);
        var before = Run(model, pixels);

        // Shift the final norm's bias: the last output moves by exactly that, the others not at all.
        model.state_dict()["norm.bias"].fill_(5f);
        var after = Run(model, pixels);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(before[0], after[0]));
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(before[1], after[1]));
        Assert.True(PrithviTestModels.MaxAbsDifference(before[2] + 5f, after[2]) < 1e-5f);

        // With the initial weight 1 and bias 0 the last output is standardized per token; the earlier ones are not.
        var mean = before[2].mean(new long[] { -1 });
        var variance = before[2].var(-1, unbiased: false);
        Assert.True(mean.abs().max().item<float>() < 1e-5f);
        Assert.True((variance - 1).abs().max().item<float>() < 1e-3f);
        Assert.True(before[1].var(-1, unbiased: false).sub(1).abs().max().item<float>() > 1e-2f);
    }

    [Fact]
    public void SelectingOnlyAnEarlyBlockReturnsItUnnormed()
    {
        torch.manual_seed(11);
        using var all = new PrithviViT(PrithviTestModels.Tiny(depth: 3));
        using var early = new PrithviViT(PrithviTestModels.Tiny(depth: 3) with { OutIndices = new[] { 1 } });
        early.load_state_dict(all.state_dict());
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = PrithviTestModels.Pixels(1, 3, 2, 8, 8);
        var result = Run(early, pixels);
        Assert.Equal(1, result.Count);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(Run(all, pixels)[1], result[0]));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-5)]
    public void AnOutOfRangeIndexIsRejectedWithTheAllowedRange(int index)
    {
        var options = PrithviTestModels.Tiny(depth: 4) with { OutIndices = new[] { 0, index } };
        var error = Assert.Throws<ArgumentException>(() => new PrithviViT(options));
        Assert.Contains($"out_indices entry {index} is out of range for depth 4 (allowed -4..3)", error.Message);
    }
}
