namespace GeoDsl.Cli.Tests;

/// <summary><c>geodsl export terratorch</c> and <c>geodsl import terratorch</c> on files: exit codes, notes and diagnostics.</summary>
public sealed class TerraTorchCommandTests
{
    [Fact]
    public void ExportThenImportGivesACheckedGeoModelFile()
    {
        string yaml = Path.Combine(Path.GetTempPath(), "geodsl-tt-" + Guid.NewGuid().ToString("N") + ".yaml");
        string geomodel = Path.ChangeExtension(yaml, ".geomodel");

        var export = CliRunner.Run("export", "terratorch", CliRunner.Reference("water_prithvi_tiny.geomodel"), "--devices", "4", "--output", yaml);
        var import = CliRunner.Run("import", "terratorch", yaml, "--model", "WaterPrithviTiny", "--output", geomodel);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("devices: 4", File.ReadAllText(yaml), StringComparison.Ordinal);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("trainer.devices", import.Error, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("check", geomodel).ExitCode);
    }

    [Fact]
    public void ExportRefusesAModelWithErrorsAndShowsThem()
    {
        string path = CliRunner.TempModel(File.ReadAllText(CliRunner.Reference("water_prithvi_tiny.geomodel")).Replace("indices = [0, 1, 2, 3]", "indices = [0, 1, 2, 7]", StringComparison.Ordinal));

        var result = CliRunner.Run("export", "terratorch", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error GEO1002", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void ExportRejectsAnUnknownStrategy()
    {
        var result = CliRunner.Run("export", "terratorch", CliRunner.Reference("water_prithvi_tiny.geomodel"), "--strategy", "deepspeed");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ddp or fsdp", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportOfYamlThatIsNotAConfigSaysWhatIsMissing()
    {
        string yaml = Path.Combine(Path.GetTempPath(), "geodsl-tt-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(yaml, "trainer:\n  devices: 2\n");

        var result = CliRunner.Run("import", "terratorch", yaml);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no 'model:' section", result.Error, StringComparison.Ordinal);
    }
}
