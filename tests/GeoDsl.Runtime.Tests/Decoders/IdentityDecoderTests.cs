using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Decoders;

// Reference: terratorch/models/decoders/identity_decoder.py.
public sealed class IdentityDecoderTests
{
    [Fact]
    public void It_returns_the_selected_map_and_has_no_parameters()
    {
        var input = new MapFeatures(torch.zeros(1, 4, 8, 8), torch.zeros(1, 6, 4, 4));
        using var decoder = new IdentityDecoder([4, 6], out_index: 0);

        Assert.Same(input[0], decoder.forward(input));
        Assert.Equal(4, decoder.OutChannels);
        AssertStateDict(decoder, []);
    }

    [Fact]
    public void By_default_it_returns_the_last_map()
    {
        using var decoder = new IdentityDecoder([4, 6]);
        Assert.Equal(6, decoder.OutChannels);
    }

    [Fact]
    public void A_map_with_other_channels_names_the_expected_and_actual_shape()
    {
        using var decoder = new IdentityDecoder([4, 6]);

        var error = Assert.Throws<ArgumentException>(() => decoder.forward(new MapFeatures(torch.zeros(1, 4, 8, 8), torch.zeros(1, 5, 4, 4))));

        Assert.Contains("IdentityDecoder", error.Message);
        Assert.Contains("6 channels", error.Message);
        Assert.Contains("1×5×4×4", error.Message);
    }
}
