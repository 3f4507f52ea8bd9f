namespace GeoDsl.Cli.Tests;

public sealed class ImportHfCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "geodsl-cli-hf-" + Guid.NewGuid().ToString("N"), "vit-small-patch16-224");

    public ImportHfCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    private string Config(string json)
    {
        string path = Path.Combine(_folder, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string VitSmall = """
        { "model_type": "vit", "hidden_size": 384, "num_hidden_layers": 12, "num_attention_heads": 6, "intermediate_size": 1536,
          "patch_size": 16, "image_size": 224, "num_channels": 3, "layer_norm_eps": 1e-12 }
        """;

    [Fact]
    public void ImportingAViTConfigPrintsAModelOnTheCatalogsViTSmallThatFitsTheRtx4090()
    {
        var result = CliRunner.Run("import", "hf", Config(VitSmall));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("model VitSmallPatch16224 : segmentation {", result.Output, StringComparison.Ordinal);
        Assert.Contains("backbone vit_small_patch16 { image_size = 224 }", result.Output, StringComparison.Ordinal);
        Assert.Contains("(fits in", result.Error, StringComparison.Ordinal);
        Assert.Contains("note: layer_norm_eps is 1e-12", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOutputOptionWritesAFileThatChecksCleanly()
    {
        string target = Path.Combine(_folder, "imported.geomodel");
        var result = CliRunner.Run("import", "hf", Config(VitSmall.Replace("\"num_channels\": 3", "\"num_channels\": 6", StringComparison.Ordinal)),
            "--bands", "BLUE,GREEN,RED,NIR_NARROW,SWIR_1,SWIR_2", "--name", "SixBandVit", "--output", target);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("model SixBandVit : segmentation {", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("check", target).ExitCode);
    }

    [Fact]
    public void AnUnknownModelTypeIsAUsageErrorNamingTheFile()
    {
        var result = CliRunner.Run("import", "hf", Config("""{ "model_type": "bert" }"""));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("config.json has model_type \"bert\", which GeoDsl cannot import", result.Error, StringComparison.Ordinal);
    }
}
