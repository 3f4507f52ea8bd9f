using System.Text.Json;

namespace GeoDsl.Cli.Tests;

public sealed class CheckCommandTests
{
    private const string TwoMistakes = "model Bad : segmentation {\n    input { bands = [BLUE, GREN] }\n    backbone prithvi_eo_v2_30\n    decoder unet { channels = [64] }\n}\n";

    [Fact]
    public void ValidModelsPassWithExitCodeZero()
    {
        var result = CliRunner.Run("check", CliRunner.Reference("sen1floods11_prithvi_300_unet.geomodel"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0 error(s)", result.Output);
    }

    [Fact]
    public void ErrorsPrintAsCompilerLinesInFileOrderAndExitWithOne()
    {
        string path = CliRunner.TempModel(TwoMistakes);
        var result = CliRunner.Run("check", path);
        Assert.Equal(1, result.ExitCode);
        var lines = result.Output.Split('\n').Where(l => l.Contains(": error ")).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith(path + "(2,28): error GEO0018: Unknown band 'GREN'. Did you mean 'GREEN'?", lines[0]);
        Assert.StartsWith(path + "(3,14): error GEO0011: Unknown backbone 'prithvi_eo_v2_30'. Did you mean 'prithvi_eo_v2_300'?", lines[1]);
    }

    [Fact]
    public void JsonListsDiagnosticsWithTheirPositions()
    {
        string path = CliRunner.TempModel(TwoMistakes);
        var result = CliRunner.Run("check", path, "--json");
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("errors").GetInt32());
        var first = json.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("GEO0018", first.GetProperty("id").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal(path, first.GetProperty("file").GetString());
        Assert.Equal(2, first.GetProperty("line").GetInt32());
        Assert.Equal(28, first.GetProperty("column").GetInt32());
        Assert.Contains("GREEN", first.GetProperty("message").GetString());
        Assert.Equal("Bad", json.RootElement.GetProperty("models")[0].GetProperty("model").GetString());
    }

    [Fact]
    public void FoldersAreSearchedForModelFiles()
    {
        var result = CliRunner.Run("check", Path.Combine(AppContext.BaseDirectory, "models"));
        // The copy leaves out models/terratorch-wrong (configs that must fail; the corpus tests check them).
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        int files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.geomodel", SearchOption.AllDirectories).Length;
        Assert.Contains($"{files} file(s)", result.Output);
    }

    [Fact]
    public void AMissingFileIsAUsageErrorWithExitCodeTwo()
    {
        var result = CliRunner.Run("check", "/nowhere/none.geomodel");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'/nowhere/none.geomodel' is neither a file nor a folder", result.Error);
    }
}
