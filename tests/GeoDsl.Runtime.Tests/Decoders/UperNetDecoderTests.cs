using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Decoders;

// Reference: terratorch/models/decoders/upernet_decoder.py — ConvModule = conv (bias=False) + norm (BatchNorm2d) + act;
// psp_modules = PPM(ModuleList of Sequential(AdaptiveAvgPool2d(s), ConvModule(C_last, ch, 1))),
// bottleneck = ConvModule(C_last + len(scales)·ch, ch, 3), lateral_convs / fpn_convs per non-last level,
// fpn_bottleneck = ConvModule(n·ch, ch, 3).
public sealed class UperNetDecoderTests
{
    private static IEnumerable<(string, long[])> ConvModule(string prefix, long cin, long cout, long k)
        => [.. Layer($"{prefix}.conv", [cout, cin, k, k], null), .. BatchNorm($"{prefix}.norm", cout)];

    [Fact]
    public void Its_state_dict_has_TerraTorchs_keys_and_shapes()
    {
        using var decoder = new UperNetDecoder([4, 6, 8], pool_scales: [1, 2], channels: 5);

        AssertStateDict(decoder,
        [
            .. ConvModule("psp_modules.0.1", 8, 5, 1),
            .. ConvModule("psp_modules.1.1", 8, 5, 1),
            .. ConvModule("bottleneck", 8 + (2 * 5), 5, 3),
            .. ConvModule("lateral_convs.0", 4, 5, 1),
            .. ConvModule("lateral_convs.1", 6, 5, 1),
            .. ConvModule("fpn_convs.0", 5, 5, 3),
            .. ConvModule("fpn_convs.1", 5, 5, 3),
            .. ConvModule("fpn_bottleneck", 3 * 5, 5, 3),
        ]);
    }

    [Fact]
    public void The_output_has_the_first_maps_size()
    {
        using var decoder = new UperNetDecoder([4, 6, 8], channels: 5);
        var input = new MapFeatures(torch.randn(2, 4, 16, 16), torch.randn(2, 6, 8, 8), torch.randn(2, 8, 4, 4));

        var output = decoder.forward(input);

        Assert.Equal([2L, 5, 16, 16], output.shape);
        Assert.Equal(5, decoder.OutChannels);
    }

    [Fact]
    public void Its_parameter_count_matches_the_layer_shapes()
    {
        using var decoder = new UperNetDecoder([768, 768, 768, 768]);
        const long c = 768, ch = 256;
        static long Cm(long cin, long cout, long k) => (k * k * cin * cout) + (2 * cout);
        var expected = (4 * Cm(c, ch, 1)) + Cm(c + (4 * ch), ch, 3) + (3 * Cm(c, ch, 1)) + (3 * Cm(ch, ch, 3)) + Cm(4 * ch, ch, 3);

        Assert.Equal(expected, ParameterCount(decoder));
        Assert.Equal(expected, UperNetDecoder.ParameterCount([768, 768, 768, 768], [1, 2, 3, 6], 256));
    }

    [Fact]
    public void The_wrong_number_of_maps_names_the_expected_and_actual_shapes()
    {
        using var decoder = new UperNetDecoder([4, 6, 8], channels: 5);

        var error = Assert.Throws<ArgumentException>(() => decoder.forward(new MapFeatures(torch.zeros(1, 4, 8, 8), torch.zeros(1, 6, 4, 4))));

        Assert.Contains("UperNetDecoder", error.Message);
        Assert.Contains("3 map(s)", error.Message);
        Assert.Contains("[4, 6, 8]", error.Message);
        Assert.Contains("1×4×8×8, 1×6×4×4", error.Message);
    }
}
