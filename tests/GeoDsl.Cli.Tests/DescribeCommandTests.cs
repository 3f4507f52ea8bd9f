using System.Text.Json;

namespace GeoDsl.Cli.Tests;

/// <summary>The JSON fields other tools rely on (architecture.md, "Interfaces other tools rely on").</summary>
public sealed class DescribeCommandTests
{
    private static JsonElement Describe(string file)
    {
        var result = CliRunner.Run("describe", file, "--json");
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    [Fact]
    public void JsonHasTheModelStagesAndShapeStrings()
    {
        var json = Describe(CliRunner.Reference("sen1floods11_prithvi_300_unet.geomodel"));
        Assert.Equal("Sen1Floods11Prithvi300", json.GetProperty("model").GetString());
        var stages = json.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal("backbone", stages[0].GetProperty("kind").GetString());
        Assert.Equal("prithvi_eo_v2_300", stages[0].GetProperty("name").GetString());
        Assert.Equal("B×1025×1024", stages[0].GetProperty("outputs")[0].GetString());
        Assert.Equal("B×64×256×256", stages.Single(s => s.GetProperty("kind").GetString() == "decoder").GetProperty("outputs")[0].GetString());
    }

    [Fact]
    public void JsonHasParameterCounts()
    {
        var parameters = Describe(CliRunner.Reference("sen1floods11_prithvi_300_unet.geomodel")).GetProperty("parameters");
        Assert.Equal(326_845_700, parameters.GetProperty("total").GetInt64());
        Assert.Equal(326_845_700, parameters.GetProperty("trainable").GetInt64());
    }

    [Fact]
    public void JsonHasTheMemoryFieldsAndBreakdown()
    {
        var memory = Describe(CliRunner.Reference("sen1floods11_prithvi_300_unet.geomodel")).GetProperty("memory");
        Assert.Equal("a100_40gb", memory.GetProperty("gpu").GetString());
        Assert.Equal(40L * 1024 * 1024 * 1024, memory.GetProperty("budgetBytes").GetInt64());
        long peak = memory.GetProperty("trainingPeakBytes").GetInt64();
        Assert.True(memory.GetProperty("fits").GetBoolean());
        Assert.True(memory.GetProperty("inferencePeakBytes").GetInt64() < peak);
        long sum = memory.GetProperty("breakdown").EnumerateArray().Sum(i => i.GetProperty("bytes").GetInt64());
        Assert.Equal(peak, sum);
    }

    [Fact]
    public void JsonOfAnInvalidModelHasItsDiagnosticsAndNoDerivedNumbers()
    {
        string path = CliRunner.TempModel("model Broken : segmentation {\n    input { bands = [BLUE] }\n    backbone prithvi_eo_tiny\n}\n");
        var result = CliRunner.Run("describe", path, "--json");
        Assert.Equal(1, result.ExitCode);
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("Broken", json.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("parameters").ValueKind);
        var diagnostic = json.GetProperty("diagnostics")[0];
        Assert.Equal("GEO0016", diagnostic.GetProperty("id").GetString());
        Assert.Equal(1, diagnostic.GetProperty("line").GetInt32());
    }

    [Fact]
    public void HumanOutputShowsTheTraceTable()
    {
        var result = CliRunner.Run("describe", CliRunner.Reference("sen1floods11_prithvi_300_unet.geomodel"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("prithvi_eo_v2_300", result.Output);
        Assert.Contains("303,886,336", result.Output);
        Assert.Contains("Parameters: 326,845,700", result.Output);
    }
}
