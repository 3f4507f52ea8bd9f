using GeoDsl.Runtime.Heads;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Heads;

// Reference: terratorch/models/heads/regression_head.py — head = Sequential(*pre_layers, Dropout2d, Conv2d(C, O, 1)),
// pre_layers = [Sequential(PixelShuffleUpscale(conv, upscale, bn, relu) × n)] if n, then
// [Sequential of Sequential(Conv2d(3×3, bias=False), BatchNorm2d, ReLU)] if channel_list.
public sealed class RegressionHeadTests
{
    [Fact]
    public void With_upscales_and_a_channel_list_its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var head = new RegressionHead(6, learned_upscale_layers: 2, channel_list: [8]);

        AssertStateDict(head,
        [
            .. Layer("head.0.0.conv", [24, 6, 3, 3], 24),
            .. BatchNorm("head.0.0.bn", 6),
            .. Layer("head.0.1.conv", [24, 6, 3, 3], 24),
            .. BatchNorm("head.0.1.bn", 6),
            .. Layer("head.1.0.0", [8, 6, 3, 3], null),
            .. BatchNorm("head.1.0.1", 8),
            .. Layer("head.3", [1, 8, 1, 1], 1),
        ]);
    }

    [Fact]
    public void Without_extra_stages_the_final_convolution_sits_at_index_1()
    {
        using var head = new RegressionHead(6);
        AssertStateDict(head, Layer("head.1", [1, 6, 1, 1], 1));
    }

    [Fact]
    public void Each_upscale_layer_doubles_the_size_and_the_final_activation_applies()
    {
        using var head = new RegressionHead(6, RegressionHead.Activation("torch.nn.Sigmoid"), learned_upscale_layers: 2, num_outputs: 3);
        head.eval();

        var output = head.forward(torch.randn(2, 6, 5, 7) * 10);

        Assert.Equal([2L, 3, 20, 28], output.shape);
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
    }

    [Fact]
    public void Its_parameter_count_matches_the_layer_shapes()
    {
        using var head = new RegressionHead(64, learned_upscale_layers: 1, channel_list: [32, 16]);

        // PixelShuffle: 9·64·256 + 256 + 2·64; blocks: 9·64·32 + 2·32, 9·32·16 + 2·16; final: 16 + 1.
        var expected = (9L * 64 * 256) + 256 + (2 * 64) + (9L * 64 * 32) + (2 * 32) + (9L * 32 * 16) + (2 * 16) + 16 + 1;
        Assert.Equal(expected, ParameterCount(head));
        Assert.Equal(expected, RegressionHead.ParameterCount(64, 1, [32, 16]));
    }

    [Fact]
    public void An_unknown_final_activation_is_rejected()
        => Assert.Contains("torch.nn.Foo", Assert.Throws<ArgumentException>(() => RegressionHead.Activation("torch.nn.Foo")).Message);
}
