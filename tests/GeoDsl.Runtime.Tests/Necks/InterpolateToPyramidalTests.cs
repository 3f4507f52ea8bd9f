using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, InterpolateToPyramidal.
public sealed class InterpolateToPyramidalTests
{
    [Fact]
    public void Four_maps_are_upsampled_by_sixteen_eight_four_and_two()
    {
        var input = new MapFeatures(Enumerable.Range(0, 4).Select(_ => torch.rand(1, 3, 2, 2)).ToArray());
        using var neck = new InterpolateToPyramidal();

        var output = neck.forward(input);

        Assert.Equal([32L, 16, 8, 4], output.Tensors.Select(t => t.shape[2]));
        Assert.Equal([32L, 16, 8, 4], output.Tensors.Select(t => t.shape[3]));
    }

    [Fact]
    public void Nearest_mode_repeats_each_pixel()
    {
        var input = new MapFeatures(torch.arange(4f).reshape(1, 1, 2, 2));
        using var neck = new InterpolateToPyramidal(scale_factor: 2, mode: "nearest");

        var up = neck.forward(input)[0];

        Assert.Equal(3f, up[0, 0, 3, 2].item<float>());
        Assert.Equal(0f, up[0, 0, 1, 1].item<float>());
    }

    [Fact]
    public void An_unknown_mode_is_rejected_when_built()
        => Assert.Contains("'cubic'", Assert.Throws<ArgumentException>(() => new InterpolateToPyramidal(mode: "cubic")).Message);

    [Fact]
    public void The_channel_list_is_unchanged_like_process_channel_list()
        => Assert.Equal([768, 768, 768, 768], InterpolateToPyramidal.OutChannels([768, 768, 768, 768]));
}
