using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, PermuteDims (feat.permute(*new_order).contiguous()).
public sealed class PermuteDimsTests
{
    [Fact]
    public void Channel_last_maps_become_channel_first_maps()
    {
        var nhwc = torch.arange(2f * 3 * 4 * 5).reshape(2, 3, 4, 5);
        using var neck = new PermuteDims([0, 3, 1, 2]);

        var nchw = neck.forward(new ChannelLastMapFeatures([nhwc]))[0];

        Assert.Equal([2L, 5, 3, 4], nchw.shape);
        Assert.True(nchw.is_contiguous());
        Assert.Equal(nhwc[1, 2, 3, 4].item<float>(), nchw[1, 4, 2, 3].item<float>());
    }

    [Fact]
    public void An_order_that_does_not_bring_the_channels_to_position_one_is_rejected()
    {
        Assert.Contains("[0, 2, 3, 1]", Assert.Throws<ArgumentException>(() => new PermuteDims([0, 2, 3, 1])).Message);
        Assert.Throws<ArgumentException>(() => new PermuteDims([0, 3, 1, 1]));
    }

    [Fact]
    public void The_channel_list_is_unchanged_like_process_channel_list()
        => Assert.Equal([128, 256, 512, 1024], PermuteDims.OutChannels([128, 256, 512, 1024]));
}
