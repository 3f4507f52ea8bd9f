using System.Text.Json;

namespace GeoDsl.Cli.Tests;

/// <summary><c>--gpu</c> and <c>--gpu-memory-gib</c>: the budget of models without <c>target</c>, as GeoDslTargetGpu and GeoDslGpuMemoryGiB set it in a build.</summary>
public sealed class BudgetOptionTests
{
    /// <summary>prithvi_eo_tiny into a U-Net: about 0.93 GiB on the device for training at batch 8.</summary>
    private const string Tiny = """
        model Tiny : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_tiny
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 2 }
        }
        """;

    [Fact]
    public void WithoutOptionsModelsAreCheckedAgainstTheRtx4090()
    {
        var result = CliRunner.Run("describe", CliRunner.TempModel(Tiny), "--json");

        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("rtx_4090", json.RootElement.GetProperty("memory").GetProperty("gpu").GetString());
    }

    [Fact]
    public void GpuNamesTheCardOfModelsWithoutTarget()
    {
        var result = CliRunner.Run("describe", CliRunner.TempModel(Tiny), "--json", "--gpu", "t4");

        using var json = JsonDocument.Parse(result.Output);
        var memory = json.RootElement.GetProperty("memory");
        Assert.Equal("t4", memory.GetProperty("gpu").GetString());
        Assert.Equal(16L << 30, memory.GetProperty("budgetBytes").GetInt64());
    }

    [Fact]
    public void AGibBudgetTooSmallMakesCheckReportGeo2001AndFail()
    {
        var result = CliRunner.Run("check", CliRunner.TempModel(Tiny), "--gpu-memory-gib", "0.7");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(": error GEO2001: Training 'Tiny' needs about 0.93 GiB on the device", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownGpuIsAUsageErrorWithASuggestion()
    {
        var result = CliRunner.Run("check", CliRunner.TempModel(Tiny), "--gpu", "rtx4090");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--gpu 'rtx4090' is not a known GPU. Did you mean 'rtx_4090'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonPositiveBudgetIsAUsageError()
    {
        var result = CliRunner.Run("describe", CliRunner.TempModel(Tiny), "--gpu-memory-gib", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--gpu-memory-gib must be a size in GiB above 0", result.Error, StringComparison.Ordinal);
    }
}
