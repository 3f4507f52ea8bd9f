using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Necks;

// Reference: terratorch/models/necks.py, AddBottleneckLayer: bottleneck = Conv2d(C_last, C_last // 2, kernel_size=1).
public sealed class AddBottleneckLayerTests
{
    [Fact]
    public void Its_state_dict_is_one_1x1_convolution_with_bias()
    {
        using var neck = new AddBottleneckLayer([4, 8, 12]);

        AssertStateDict(neck, Layer("bottleneck", [6, 12, 1, 1], 6));
        Assert.Equal((12L * 6) + 6, ParameterCount(neck));
    }

    [Fact]
    public void It_appends_a_half_width_map_at_the_last_maps_size_and_leaves_the_input_alone()
    {
        var input = new MapFeatures(torch.zeros(2, 4, 16, 16), torch.zeros(2, 12, 8, 8));
        using var neck = new AddBottleneckLayer([4, 12]);

        var output = neck.forward(input);

        Assert.Equal(2, input.Count);
        Assert.Equal(3, output.Count);
        Assert.Equal([2L, 6, 8, 8], output[2].shape);
        Assert.Equal([4, 12, 6], AddBottleneckLayer.OutChannels([4, 12]));
    }

    [Fact]
    public void A_last_map_with_the_wrong_channels_names_the_expected_and_actual_shape()
    {
        using var neck = new AddBottleneckLayer([4, 12]);

        var error = Assert.Throws<ArgumentException>(() => neck.forward(new MapFeatures(torch.zeros(1, 4, 8, 8), torch.zeros(1, 10, 4, 4))));

        Assert.Contains("AddBottleneckLayer", error.Message);
        Assert.Contains("B×12×H×W", error.Message);
        Assert.Contains("1×10×4×4", error.Message);
    }
}
