using Microsoft.CodeAnalysis;

namespace GeoDsl.CodeFixes.Tests;

/// <summary>
/// Code fixes in .geomodel additional files: Roslyn 4.5+ runs fixers on additional documents (CodeFixContext over a
/// TextDocument); Microsoft.CodeAnalysis.Testing 1.1.4 does not apply such fixes, so <see cref="FixVerifier.FixModelFileAsync"/>
/// drives the same Roslyn APIs directly.
/// </summary>
public sealed class GeoModelFileFixTests
{
    private static string Model(string bands, string necks, string decoder, string tail = "") => $$"""
        model FloodMapper : segmentation {
            input { bands = {{bands}} }
            backbone prithvi_eo_tiny { pretrained = true }
            neck select_indices { indices = [0, 1, 2, 3] }
        {{necks}}    decoder {{decoder}}
            head segmentation { num_classes = 2 }
        {{tail}}}
        """;

    private const string Bands = "[BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]";

    [Fact]
    public Task SameSizeMapsIntoAUNetGetTheLearnedPyramidNeckOnTheLineBefore() => FixVerifier.FixModelFileAsync(
        Model(Bands, "    neck reshape_tokens_to_image\n", "{|GEO1005:unet|} { channels = [256, 128, 64, 32] }"),
        Model(Bands, "    neck reshape_tokens_to_image\n    neck learned_interpolate_to_pyramidal\n", "unet { channels = [256, 128, 64, 32] }"),
        "Insert 'neck learned_interpolate_to_pyramidal'");

    [Fact]
    public Task TokensIntoAMapDecoderGetTheReshapeNeck() => FixVerifier.FixModelFileAsync(
        Model(Bands, string.Empty, "{|GEO1001:fcn|}").Replace("indices = [0, 1, 2, 3]", "indices = [3]", StringComparison.Ordinal),
        Model(Bands, "    neck reshape_tokens_to_image\n", "fcn").Replace("indices = [0, 1, 2, 3]", "indices = [3]", StringComparison.Ordinal),
        "Insert 'neck reshape_tokens_to_image'");

    [Fact]
    public Task BandsOutOfThePretrainedOrderAreListedInIt() => FixVerifier.FixModelFileAsync(
        Model("{|GEO1023:[RED, GREEN, BLUE, NIR_NARROW, SWIR_1, SWIR_2]|}", "    neck reshape_tokens_to_image\n", "fcn"),
        Model(Bands, "    neck reshape_tokens_to_image\n", "fcn"),
        "List the bands in the pretrained order");
}
