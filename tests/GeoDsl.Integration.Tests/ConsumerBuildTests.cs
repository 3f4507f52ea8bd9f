using System.Text.Json;

namespace GeoDsl.Integration.Tests;

/// <summary>
/// A project that references the packed GeoDsl package builds, reports model problems through MSBuild with file,
/// line and ID, writes the model report, and runs the generated models.
/// </summary>
public sealed class ConsumerBuildTests : IClassFixture<PackedPackages>
{
    // Line 4, column 14: the misspelled backbone name.
    private const string BrokenModel = """
        // A model with a misspelled backbone.
        model BrokenMapper : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW], size = 64 }
            backbone prithvi_eo_tinyy { patch_size = 8, embed_dim = 64, depth = 4, num_heads = 4 }
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [64, 32, 16, 16] }
            head segmentation { num_classes = 3 }
        }

        """;

    // Line 8: index 9 of a 4-block backbone.
    private const string BrokenAttributedClass = """
        using GeoDsl;

        namespace Consumer;

        [GeoModel("segmentation")]
        [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW], size = 32")]
        [GeoBackbone("prithvi_eo_tiny", "patch_size = 8, embed_dim = 32, depth = 4, num_heads = 4")]
        [GeoNeck("select_indices", "indices = [0, 1, 2, 9]")]
        [GeoNeck("reshape_tokens_to_image")]
        [GeoNeck("learned_interpolate_to_pyramidal")]
        [GeoDecoder("unet", "channels = [32, 16, 16, 8]")]
        [GeoHead("segmentation", "num_classes = 2")]
        public partial class AttributedMapper
        {
        }

        """;

    private readonly PackedPackages _packages;

    public ConsumerBuildTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public void ModelErrorsFailTheBuildWithFileLineAndIdInMSBuildsOutput()
    {
        string project = _packages.CreateConsumer("Broken");
        File.WriteAllText(Path.Combine(project, "BrokenMapper.geomodel"), BrokenModel);
        File.WriteAllText(Path.Combine(project, "AttributedMapper.cs"), BrokenAttributedClass);

        var build = _packages.Build(project);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(Path.Combine(project, "BrokenMapper.geomodel") + "(4,14): error GEO0011:", build.Output, StringComparison.Ordinal);
        Assert.Contains("prithvi_eo_tinyy", build.Output, StringComparison.Ordinal);
        string attributedError = build.Output.Split('\n').FirstOrDefault(l => l.Contains("AttributedMapper.cs(8,", StringComparison.Ordinal) && l.Contains("error GEO1002:", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no GEO1002 on line 8 of AttributedMapper.cs in:\n" + build);
        Assert.Contains("Index 9", attributedError, StringComparison.Ordinal);
        // The generator emits nothing for invalid models: no cascade of C# errors about missing classes.
        Assert.DoesNotContain("error CS", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFixedProjectBuildsWritesTheModelReportAndRunsTheGeneratedModels()
    {
        string project = _packages.CreateConsumer("Fixed");
        File.WriteAllText(Path.Combine(project, "BrokenMapper.geomodel"), BrokenModel.Replace("prithvi_eo_tinyy", "prithvi_eo_tiny", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(project, "AttributedMapper.cs"), BrokenAttributedClass.Replace("[0, 1, 2, 9]", "[0, 1, 2, 3]", StringComparison.Ordinal));
        File.AppendAllText(Path.Combine(project, "Program.cs"), """
            using var attributed = new Consumer.AttributedMapper();
            attributed.eval();
            var attributedOutput = attributed.Predict(new Consumer.AttributedMapper.Input(torch.randn(2, 4, 32, 32)));
            Console.WriteLine($"attributed {string.Join("x", attributedOutput.Output.shape)}");
            using var broken = new BrokenMapper();
            Console.WriteLine($"fixed {string.Join("x", broken.Predict(new BrokenMapper.Input(torch.randn(1, 4, 64, 64))).Output.shape)}");

            """);

        var build = _packages.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());

        var run = DotNet.Run(project, null, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("output 1x2x64x64", run.Output, StringComparison.Ordinal);
        Assert.Contains("attributed 2x2x32x32", run.Output, StringComparison.Ordinal);
        Assert.Contains("fixed 1x3x64x64", run.Output, StringComparison.Ordinal);

        // The report counts what the built module holds: the program prints TorchSharp's own parameter count.
        long built = long.Parse(run.Output.Split('\n').Single(l => l.StartsWith("parameters ", StringComparison.Ordinal))["parameters ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string reportFolder = Directory.GetDirectories(Path.Combine(project, "obj"), "geodsl", SearchOption.AllDirectories).Single();
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "models.json")));
        var models = report.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        Assert.Equal(new[] { "BrokenMapper", "FixedModel" }, models.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(built, models["FixedModel"].GetProperty("parameters").GetProperty("total").GetInt64());
        Assert.Equal("B×2×64×64", models["FixedModel"].GetProperty("stages").EnumerateArray().Last().GetProperty("outputs")[0].GetString());
        Assert.Contains("| head | segmentation | B×2×64×64 |", File.ReadAllText(Path.Combine(reportFolder, "models.md")), StringComparison.Ordinal);
    }
}
