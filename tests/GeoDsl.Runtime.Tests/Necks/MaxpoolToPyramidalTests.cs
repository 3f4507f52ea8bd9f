using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, MaxpoolToPyramidal.
public sealed class MaxpoolToPyramidalTests
{
    [Fact]
    public void Four_maps_are_pooled_by_one_two_four_and_eight()
    {
        var input = new MapFeatures(Enumerable.Range(0, 4).Select(_ => torch.rand(2, 3, 16, 16)).ToArray());
        using var neck = new MaxpoolToPyramidal();

        var output = neck.forward(input);

        Assert.Equal([16L, 8, 4, 2], output.Tensors.Select(t => t.shape[2]));
        Assert.NotSame(input[0], output[0]);
        Assert.True(input[0].eq(output[0]).all().item<bool>());
    }

    [Fact]
    public void Pooling_takes_the_maximum_of_each_window()
    {
        var input = new MapFeatures(torch.zeros(1, 1, 4, 4), torch.arange(16f).reshape(1, 1, 4, 4));
        using var neck = new MaxpoolToPyramidal();

        var pooled = neck.forward(input)[1];

        Assert.Equal([5f, 7f, 13f, 15f], pooled.flatten().data<float>().ToArray());
    }

    [Fact]
    public void The_channel_list_is_unchanged_like_process_channel_list()
        => Assert.Equal([96, 96], MaxpoolToPyramidal.OutChannels([96, 96]));
}
