using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Heads;

// Reference: terratorch/models/heads/classification_head.py — head = Sequential(pre_head, dropout, Linear(D, K)),
// pre_head = Identity or Sequential of Sequential(Linear, ReLU()); forward reshapes [B, C, ...] to [B, L, C].
public sealed class ClassificationHeadTests
{
    [Fact]
    public void Its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var head = new ClassificationHead(6, 4, dim_list: [8, 5], dropout: 0.2);

        AssertStateDict(head,
        [
            .. Layer("head.0.0.0", [8, 6], 8),
            .. Layer("head.0.1.0", [5, 8], 5),
            .. Layer("head.2", [4, 5], 4),
        ]);
        Assert.Equal((6L * 8) + 8 + (8 * 5) + 5 + (5 * 4) + 4, ParameterCount(head));
        Assert.Equal(ParameterCount(head), ClassificationHead.ParameterCount(6, 4, [8, 5]));
    }

    [Fact]
    public void Pooled_vectors_and_maps_both_give_one_score_vector_per_image()
    {
        using var head = new ClassificationHead(6, 4, dim_list: [8]);

        Assert.Equal([3L, 4], head.forward(torch.randn(3, 6)).shape);
        Assert.Equal([3L, 4], head.forward(torch.randn(3, 6, 5, 5)).shape);
        Assert.Equal([3L, 4], head.forward(new PooledFeatures([torch.randn(3, 6)])).shape);
    }

    [Fact]
    public void Without_hidden_layers_pooling_before_or_after_the_linear_layer_agrees()
    {
        torch.manual_seed(3);
        using var after = new ClassificationHead(6, 4);
        using var before = new ClassificationHead(6, 4, linear_after_pool: true);
        before.load_state_dict(after.state_dict());
        var maps = torch.randn(2, 6, 3, 3);

        Assert.True(after.forward(maps).allclose(before.forward(maps), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Raw_tokens_are_rejected_with_a_hint_instead_of_a_matmul_error()
    {
        using var head = new ClassificationHead(768, 10);

        var error = Assert.Throws<ArgumentException>(() => head.forward(torch.zeros(2, 197, 768)));

        Assert.Contains("ClassificationHead", error.Message);
        Assert.Contains("B×768", error.Message);
        Assert.Contains("2×197×768", error.Message);
        Assert.Contains("AggregateTokens", error.Message);
    }
}
