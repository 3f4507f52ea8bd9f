namespace GeoDsl.Cli.Tests;

/// <summary><c>geodsl new</c> scaffolds a project whose model compiles; the integration test builds the same project.</summary>
public sealed class NewCommandTests
{
    [Fact]
    public void NewWritesAProjectAModelAndAProgram()
    {
        string folder = Path.Combine(Path.GetTempPath(), "geodsl-new-" + Guid.NewGuid().ToString("N"));

        var result = CliRunner.Run("new", "WaterMapper", "--output", folder, "--geodsl-version", "1.2.3");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("<PackageReference Include=\"GeoDsl\" Version=\"1.2.3\" />", File.ReadAllText(Path.Combine(folder, "WaterMapper.csproj")), StringComparison.Ordinal);
        Assert.Contains("<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />", File.ReadAllText(Path.Combine(folder, "WaterMapper.csproj")), StringComparison.Ordinal);
        var check = CliRunner.Run("check", Path.Combine(folder, "WaterMapper.geomodel"));
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("1 model(s): 0 error(s), 0 warning(s)", check.Output, StringComparison.Ordinal);
        Assert.Contains("new WaterMapperModel()", File.ReadAllText(Path.Combine(folder, "Program.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void NewRefusesToOverwriteAnExistingProject()
    {
        string folder = Path.Combine(Path.GetTempPath(), "geodsl-new-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), "// mine");

        var result = CliRunner.Run("new", "WaterMapper", "--output", folder);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.Error, StringComparison.Ordinal);
        Assert.Equal("// mine", File.ReadAllText(Path.Combine(folder, "Program.cs")));
    }

    [Fact]
    public void NewRejectsANameThatCannotNameAClass()
    {
        var result = CliRunner.Run("new", "water-mapper", "--output", Path.GetTempPath());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("e.g. WaterMapper", result.Error, StringComparison.Ordinal);
    }
}
