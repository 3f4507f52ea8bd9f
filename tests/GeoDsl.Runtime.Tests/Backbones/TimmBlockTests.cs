using GeoDsl.Runtime.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>timm's pre-norm block: names, and the fused attention against the textbook formula.</summary>
public sealed class TimmBlockTests
{
    [Fact]
    public void TheBlockHasTimmsStateDictKeys()
    {
        using var block = new TimmBlock(16, 4, dropPath: 0.2);
        Assert.Equal(
            new[]
            {
                "attn.proj.bias", "attn.proj.weight", "attn.qkv.bias", "attn.qkv.weight",
                "mlp.fc1.bias", "mlp.fc1.weight", "mlp.fc2.bias", "mlp.fc2.weight",
                "norm1.bias", "norm1.weight", "norm2.bias", "norm2.weight",
            },
            block.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void FusedAttentionEqualsSoftmaxOfScaledDotProducts()
    {
        torch.manual_seed(2);
        using var attention = new TimmAttention(16, 4);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(2, 5, 16);
        var state = attention.state_dict();

        var qkv = torch.nn.functional.linear(x, state["qkv.weight"], state["qkv.bias"])
            .reshape(2, 5, 3, 4, 4).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        var weights = (q.matmul(k.transpose(-2, -1)) / Math.Sqrt(4)).softmax(-1);
        var heads = weights.matmul(v).transpose(1, 2).reshape(2, 5, 16);
        var expected = torch.nn.functional.linear(heads, state["proj.weight"], state["proj.bias"]);

        Assert.True(PrithviTestModels.MaxAbsDifference(expected, attention.call(x)) < 1e-5f);
    }

    [Fact]
    public void TheBlockIsTwoPreNormResiduals()
    {
        torch.manual_seed(3);
        using var block = new TimmBlock(16, 2, mlpRatio: 2);
        block.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var state = block.state_dict();
        Assert.Equal(new long[] { 32, 16 }, state["mlp.fc1.weight"].shape);

        var x = torch.randn(1, 3, 16);
        var n1 = torch.nn.functional.layer_norm(x, new long[] { 16 }, state["norm1.weight"], state["norm1.bias"], 1e-5);
        var qkv = torch.nn.functional.linear(n1, state["attn.qkv.weight"], state["attn.qkv.bias"])
            .reshape(1, 3, 3, 2, 8).permute(2, 0, 3, 1, 4);
        var attended = torch.nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2])
            .transpose(1, 2).reshape(1, 3, 16);
        var h = x + torch.nn.functional.linear(attended, state["attn.proj.weight"], state["attn.proj.bias"]);
        var n2 = torch.nn.functional.layer_norm(h, new long[] { 16 }, state["norm2.weight"], state["norm2.bias"], 1e-5);
        var hidden = torch.nn.functional.gelu(torch.nn.functional.linear(n2, state["mlp.fc1.weight"], state["mlp.fc1.bias"]));
        var expected = h + torch.nn.functional.linear(hidden, state["mlp.fc2.weight"], state["mlp.fc2.bias"]);

        Assert.True(PrithviTestModels.MaxAbsDifference(expected, block.call(x)) < 1e-5f);
    }
}
