using System.Text.Json;

namespace GeoDsl.Cli.Tests;

public sealed class CatalogCommandTests
{
    private static List<JsonElement> Entries(params string[] extra)
    {
        var result = CliRunner.Run(new[] { "catalog", "--json" }.Concat(extra).ToArray());
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Output).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void BackbonesListTheirBandsFeaturesAndParameters()
    {
        var prithvi = Entries().Single(e => e.GetProperty("name").GetString() == "prithvi_eo_v2_300");
        Assert.Equal("backbone", prithvi.GetProperty("kind").GetString());
        Assert.Equal(new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" }, prithvi.GetProperty("bands").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("token sequences 24 × B×197×1024", prithvi.GetProperty("features").GetString());
        Assert.Equal(303_886_336, prithvi.GetProperty("parameters").GetInt64());
        Assert.Equal(224, prithvi.GetProperty("defaultSize").GetInt32());
    }

    [Fact]
    public void NecksSayWhichFeaturesTheyTakeAndGive()
    {
        var reshape = Entries("--kind", "neck").Single(e => e.GetProperty("name").GetString() == "reshape_tokens_to_image");
        Assert.Equal("token sequences → channel-first feature maps", reshape.GetProperty("features").GetString());
    }

    [Fact]
    public void GpusListTheirMemory()
    {
        var gpu = Entries("--kind", "gpu").Single(e => e.GetProperty("name").GetString() == "rtx_4090");
        Assert.Equal(24564L * 1024 * 1024, gpu.GetProperty("memoryBytes").GetInt64());
    }

    [Fact]
    public void EveryKindIsPresent()
    {
        Assert.Equal(new[] { "backbone", "decoder", "gpu", "head", "neck" }, Entries().Select(e => e.GetProperty("kind").GetString()).Distinct().OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void TheTableShowsEachBackbone()
    {
        var result = CliRunner.Run("catalog", "--kind", "backbone");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("prithvi_eo_v2_600", result.Output);
        Assert.Contains("631,188,480", result.Output);
    }
}
