using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Decoders;

// Reference: terratorch/models/decoders/linear_decoder.py — conv = ConvTranspose2d(C, num_classes, k = s = upsampling_size).
public sealed class LinearDecoderTests
{
    [Fact]
    public void Its_state_dict_is_one_transposed_convolution()
    {
        using var decoder = new LinearDecoder([4, 8], num_classes: 3, upsampling_size: 16);

        AssertStateDict(decoder, Layer("conv", [8, 3, 16, 16], 3));
        Assert.Equal((8L * 3 * 16 * 16) + 3, ParameterCount(decoder));
    }

    [Fact]
    public void It_includes_the_head_and_upsamples_to_class_scores()
    {
        using var decoder = new LinearDecoder([4, 8], num_classes: 3, upsampling_size: 4, in_index: 0);

        var output = decoder.forward(new MapFeatures(torch.zeros(2, 4, 5, 6), torch.zeros(2, 8, 1, 1)));

        Assert.True(decoder.IncludesHead);
        Assert.Equal(3, decoder.OutChannels);
        Assert.Equal([2L, 3, 20, 24], output.shape);
    }

    [Fact]
    public void A_map_with_the_wrong_channels_names_the_expected_and_actual_shape()
    {
        using var decoder = new LinearDecoder([8], num_classes: 2, upsampling_size: 2);

        var error = Assert.Throws<ArgumentException>(() => decoder.forward(new MapFeatures(torch.zeros(1, 3, 4, 4))));

        Assert.Contains("LinearDecoder", error.Message);
        Assert.Contains("B×8×H×W", error.Message);
        Assert.Contains("1×3×4×4", error.Message);
    }
}
