using GeoDsl.Runtime.Heads;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Heads;

// Reference: terratorch/models/heads/segmentation_head.py — head = Sequential(pre_head, dropout, Conv2d(C, K, 1)),
// pre_head = Identity or Sequential of Sequential(Conv2d(3×3, padding 1, bias), ReLU()).
public sealed class SegmentationHeadTests
{
    [Fact]
    public void Its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var head = new SegmentationHead(6, 3, channel_list: [8, 5], dropout: 0.1);

        AssertStateDict(head,
        [
            .. Layer("head.0.0.0", [8, 6, 3, 3], 8),
            .. Layer("head.0.1.0", [5, 8, 3, 3], 5),
            .. Layer("head.2", [3, 5, 1, 1], 3),
        ]);
    }

    [Fact]
    public void Without_a_channel_list_it_is_one_1x1_convolution_at_index_2()
    {
        using var head = new SegmentationHead(6, 3);
        AssertStateDict(head, Layer("head.2", [3, 6, 1, 1], 3));
    }

    [Fact]
    public void The_Sen1Floods11_head_maps_the_UNet_output_to_two_class_scores()
    {
        // terratorch-facts.md §6: head_channel_list [256], 2 classes on the UNet's 64 channels (batch 1; the smp ≥ 0.5 size).
        using var head = new SegmentationHead(64, 2, channel_list: [256], dropout: 0.1);
        head.eval();
        using var noGrad = torch.no_grad();

        var output = head.forward(torch.randn(1, 64, 128, 128));

        Assert.Equal([1L, 2, 128, 128], output.shape);
        Assert.Equal((9L * 64 * 256) + 256 + (256L * 2) + 2, ParameterCount(head));
        Assert.Equal(ParameterCount(head), SegmentationHead.ParameterCount(64, 2, [256]));
    }

    [Fact]
    public void A_decoder_output_with_the_wrong_channels_names_the_expected_and_actual_shape()
    {
        using var head = new SegmentationHead(64, 2);

        var error = Assert.Throws<ArgumentException>(() => head.forward(torch.zeros(1, 256, 8, 8)));

        Assert.Contains("SegmentationHead", error.Message);
        Assert.Contains("B×64×H×W", error.Message);
        Assert.Contains("1×256×8×8", error.Message);
    }
}
