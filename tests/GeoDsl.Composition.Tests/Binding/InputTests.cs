using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>The <c>input</c> section: named bands, size, frames and normalisation statistics.</summary>
public sealed class InputTests
{
    private static string Input(string extra) => Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], " + extra + " }");

    [Fact]
    public void UnknownBandSuggestsTheClosestAndListsTheBands()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("[BLUE,", "[BLUEE,")), "GEO0018", 2, 22);

        Assert.StartsWith("Unknown band 'BLUEE'. Did you mean 'BLUE'? Known bands: COASTAL_AEROSOL, BLUE, GREEN,", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SentinelTwoIdsAndLowerCaseNamesAreStoredUnderTheCanonicalName()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("[BLUE, GREEN, RED,", "[B02, green, RED,"));

        Assert.Empty(file.Diagnostics);
        Assert.Equal(new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" }, file.Models[0].Spec.Input.Bands);
    }

    [Fact]
    public void AnAliasOfABandAlreadyListedIsADuplicate()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("SWIR_2]", "SWIR_2, B02]")), "GEO0019", 2, 68);

        Assert.Equal("Band 'B02 (BLUE)' is listed twice; each input band appears once", d.Message);
    }

    [Fact]
    public void BandListedTwiceIsReportedAtTheSecond()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("SWIR_2]", "SWIR_2, BLUE]")), "GEO0019", 2, 68);

        Assert.Equal("Band 'BLUE' is listed twice; each input band appears once", d.Message);
    }

    [Fact]
    public void EveryUnknownBandIsReported()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("[BLUE, GREEN, RED,", "[BLUEE, GREN, RED,"));

        Assert.Equal(new[] { "GEO0018 (2,22)", "GEO0018 (2,29)" }, Diagnosed.Positions(file));
    }

    [Fact]
    public void MeansCountMustMatchTheBands()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Input("means = [1, 2]")), "GEO1008", 2, 77);

        Assert.Equal("The input has 6 bands but 2 'means' values; give one per band", d.Message);
    }

    [Fact]
    public void StdsCountMustMatchTheBands()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Input("stds = [1, 2, 3]")), "GEO1008", 2, 76);

        Assert.Equal("The input has 6 bands but 3 'stds' values; give one per band", d.Message);
    }

    [Fact]
    public void StatisticsAreKeptInBandOrder()
    {
        var input = TestModels.Single(Diagnosed.Compile(Input("means = [1, 2, 3, 4, 5, 6.5], stds = [1, 1, 1, 1, 1, 2]"))).Spec.Input;

        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6.5 }, input.Means);
        Assert.Equal(new[] { 1.0, 1, 1, 1, 1, 2 }, input.Stds);
    }

    [Fact]
    public void SizeMayBeOneNumberOrAPair()
    {
        var square = TestModels.Single(Diagnosed.Compile(Input("size = 256"))).Spec.Input;
        var oblong = TestModels.Single(Diagnosed.Compile(Input("size = [256, 512]"))).Spec.Input;

        Assert.Equal((256, 256), (square.Height, square.Width));
        Assert.Equal((256, 512), (oblong.Height, oblong.Width));
    }

    [Fact]
    public void SizeWithThreeNumbersIsAMismatch()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Input("size = [10, 20, 30]")), "GEO0013", 2, 76);

        Assert.EndsWith("got a list of 3 item(s)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroFramesIsOutOfRange()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Input("frames = 0")), "GEO0014", 2, 78);

        Assert.Equal("'frames' of input must be an integer from 1 to 1024; got 0", d.Message);
    }

    [Fact]
    public void InputWithoutBandsIsMissingThem()
    {
        var d = Diagnosed.Single(
            Diagnosed.Compile(Diagnosed.ValidWith("input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }", "input { size = 224 }")),
            "GEO0020",
            2,
            5);

        Assert.StartsWith("Input needs 'bands':", d.Message, StringComparison.Ordinal);
    }
}
