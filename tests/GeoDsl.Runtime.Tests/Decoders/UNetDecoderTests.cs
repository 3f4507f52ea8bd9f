using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using static GeoDsl.Runtime.Tests.Support.ModuleInspection;

namespace GeoDsl.Runtime.Tests.Decoders;

// Reference: terratorch/models/decoders/unet_decoder.py (decoder = smp UnetDecoder(encoder_channels=[C0, *C], ...),
// forward duplicates x[0]); smp decoders/unet/decoder.py (blocks.I.conv1 / conv2 = Conv2dReLU) and base/modules.py
// (Conv2dReLU = Sequential(conv, norm, relu); smp ≤ 0.4: bias = not use_batchnorm; smp ≥ 0.5: bias unless "inplace").
public sealed class UNetDecoderTests
{
    private static IEnumerable<(string, long[])> Conv2dReLU(string prefix, long cin, long cout, bool bias)
        => [.. Layer($"{prefix}.0", [cout, cin, 3, 3], bias ? cout : null), .. BatchNorm($"{prefix}.1", cout)];

    private static IEnumerable<(string, long[])> Expected(bool bias) =>
    [
        // embed [4, 8, 16], channels [12, 8, 6]: in = [16, 12, 8], skip = [8, 4, 0].
        .. Conv2dReLU("decoder.blocks.0.conv1", 16 + 8, 12, bias),
        .. Conv2dReLU("decoder.blocks.0.conv2", 12, 12, bias),
        .. Conv2dReLU("decoder.blocks.1.conv1", 12 + 4, 8, bias),
        .. Conv2dReLU("decoder.blocks.1.conv2", 8, 8, bias),
        .. Conv2dReLU("decoder.blocks.2.conv1", 8, 6, bias),
        .. Conv2dReLU("decoder.blocks.2.conv2", 6, 6, bias),
    ];

    [Fact]
    public void Its_state_dict_has_smp_0_5_keys_with_convolution_biases()
    {
        using var decoder = new UNetDecoder([4, 8, 16], [12, 8, 6]);
        AssertStateDict(decoder, Expected(bias: true));
    }

    [Fact]
    public void Its_state_dict_has_smp_0_4_keys_without_convolution_biases()
    {
        using var decoder = new UNetDecoder([4, 8, 16], [12, 8, 6], flavor: SmpUnetFlavor.Smp04);
        AssertStateDict(decoder, Expected(bias: false));
    }

    [Fact]
    public void Without_batchnorm_the_convolutions_keep_their_bias_and_the_norm_has_no_state()
    {
        using var decoder = new UNetDecoder([4], [6], use_batchnorm: false, flavor: SmpUnetFlavor.Smp04);
        AssertStateDict(decoder, [.. Layer("decoder.blocks.0.conv1.0", [6, 4, 3, 3], 6), .. Layer("decoder.blocks.0.conv2.0", [6, 6, 3, 3], 6)]);
    }

    [Theory]
    [InlineData(SmpUnetFlavor.Smp05, 16)]
    [InlineData(SmpUnetFlavor.Smp04, 32)]
    public void The_last_block_ends_at_the_first_maps_size_with_smp_0_5_and_twice_it_with_smp_0_4(SmpUnetFlavor flavor, long side)
    {
        using var decoder = new UNetDecoder([4, 8, 16], [12, 8, 6], flavor: flavor);
        var input = new MapFeatures(torch.randn(2, 4, 16, 16), torch.randn(2, 8, 8, 8), torch.randn(2, 16, 4, 4));

        Assert.Equal([2L, 6, side, side], decoder.forward(input).shape);
    }

    [Theory]
    [InlineData(SmpUnetFlavor.Smp05, 128)]
    [InlineData(SmpUnetFlavor.Smp04, 256)]
    public void The_Sen1Floods11_trace_runs_at_full_channels(SmpUnetFlavor flavor, long side)
    {
        // terratorch-facts.md §6 at batch 1: LearnedInterpolateToPyramidal gives [256@128², 512@64², 1024@32², 1024@16²];
        // UNetDecoder([256, 512, 1024, 1024], [512, 256, 128, 64]) → [B, 64, 256, 256] with smp ≤ 0.4's ×2 blocks, and
        // [B, 64, 128, 128] with smp ≥ 0.5 (its last block resizes to the duplicated x[0]).
        torch.manual_seed(0);
        using var decoder = new UNetDecoder([256, 512, 1024, 1024], [512, 256, 128, 64], flavor: flavor);
        decoder.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var input = new MapFeatures(
            torch.randn(1, 256, 128, 128), torch.randn(1, 512, 64, 64), torch.randn(1, 1024, 32, 32), torch.randn(1, 1024, 16, 16));

        var output = decoder.forward(input);

        Assert.Equal([1L, 64, side, side], output.shape);
        Assert.Equal(64, decoder.OutChannels);
        Assert.Equal([256, 512, 1024, 1024], LearnedInterpolateToPyramidal.OutChannels([1024, 1024, 1024, 1024]));
    }

    [Theory]
    [InlineData(SmpUnetFlavor.Smp05, true)]
    [InlineData(SmpUnetFlavor.Smp04, false)]
    public void Its_parameter_count_matches_the_layer_shapes(SmpUnetFlavor flavor, bool bias)
    {
        using var decoder = new UNetDecoder([256, 512, 1024, 1024], [512, 256, 128, 64], flavor: flavor);

        // Block (in + skip → out): 9·(in+skip)·out + 9·out² (+ 2·out biases) + 2·2·out (BatchNorm).
        long Block(long cin, long skip, long cout) => (9 * (cin + skip) * cout) + (9 * cout * cout) + (bias ? 2 * cout : 0) + (4 * cout);
        var expected = Block(1024, 1024, 512) + Block(512, 512, 256) + Block(256, 256, 128) + Block(128, 0, 64);

        Assert.Equal(expected, ParameterCount(decoder));
        Assert.Equal(expected, UNetDecoder.ParameterCount([256, 512, 1024, 1024], [512, 256, 128, 64], flavor: flavor));
    }

    [Fact]
    public void Channels_of_a_different_length_than_embed_dim_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new UNetDecoder([256, 512, 1024, 1024], [512, 256, 128]));

        Assert.Contains("UNetDecoder", error.Message);
        Assert.Contains("[512, 256, 128]", error.Message);
        Assert.Contains("[256, 512, 1024, 1024]", error.Message);
    }

    [Fact]
    public void A_single_ViT_map_instead_of_a_pyramid_names_the_expected_and_actual_shapes()
    {
        using var decoder = new UNetDecoder([4, 8, 16], [12, 8, 6]);

        var error = Assert.Throws<ArgumentException>(() => decoder.forward(new MapFeatures(torch.zeros(1, 16, 4, 4))));

        Assert.Contains("UNetDecoder expects 3 map(s)", error.Message);
        Assert.Contains("[4, 8, 16]", error.Message);
        Assert.Contains("got 1: 1×16×4×4", error.Message);
    }
}
