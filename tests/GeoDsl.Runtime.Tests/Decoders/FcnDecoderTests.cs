using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Decoders;

// Reference: terratorch/models/decoders/fcn_decoder.py — convs = Sequential of
// Sequential(ConvTranspose2d(k2, s2), Conv2d(3×3, padding 1, bias), Norm2d(ln = LayerNorm(eps 1e-6)), GELU()).
public sealed class FcnDecoderTests
{
    [Fact]
    public void Its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var decoder = new FcnDecoder([6, 8], channels: 4, num_convs: 2);

        AssertStateDict(decoder,
        [
            .. Layer("convs.0.0", [8, 4, 2, 2], 4),
            .. Layer("convs.0.1", [4, 4, 3, 3], 4),
            .. Layer("convs.0.2.ln", [4], 4),
            .. Layer("convs.1.0", [4, 4, 2, 2], 4),
            .. Layer("convs.1.1", [4, 4, 3, 3], 4),
            .. Layer("convs.1.2.ln", [4], 4),
        ]);
    }

    [Fact]
    public void Each_block_doubles_the_size_of_the_selected_map()
    {
        using var decoder = new FcnDecoder([6, 8], channels: 4, num_convs: 3, in_index: -1);

        var output = decoder.forward(new MapFeatures(torch.zeros(2, 6, 5, 5), torch.randn(2, 8, 3, 5)));

        Assert.Equal([2L, 4, 24, 40], output.shape);
        Assert.Equal(4, decoder.OutChannels);
        Assert.False(decoder.IncludesHead);
    }

    [Fact]
    public void Its_parameter_count_matches_the_layer_shapes()
    {
        // Prithvi 300M with FCN 256/4: per block 4·Cin·C + C + 9·C² + C + 2·C.
        using var decoder = new FcnDecoder([1024], channels: 256, num_convs: 4);
        const long c = 256;
        var first = (4 * 1024 * c) + c + (9 * c * c) + c + (2 * c);
        var others = (4 * c * c) + c + (9 * c * c) + c + (2 * c);

        Assert.Equal(first + (3 * others), ParameterCount(decoder));
        Assert.Equal(first + (3 * others), FcnDecoder.ParameterCount(1024, 256, 4));
    }

    [Fact]
    public void A_map_with_the_wrong_channels_names_the_expected_and_actual_shape()
    {
        using var decoder = new FcnDecoder([8], channels: 4, num_convs: 1);

        var error = Assert.Throws<ArgumentException>(() => decoder.forward(new MapFeatures(torch.zeros(1, 7, 4, 4))));

        Assert.Contains("FCNDecoder", error.Message);
        Assert.Contains("B×8×H×W", error.Message);
        Assert.Contains("1×7×4×4", error.Message);
    }

    [Fact]
    public void Zero_convolutions_are_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FcnDecoder([8], num_convs: 0));
}
