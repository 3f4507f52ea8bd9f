using System.Collections.Immutable;
using GeoDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GeoDsl.Generators.Tests.Memory;

/// <summary>
/// The project's budget properties reach the generator as <c>build_property.*</c>: a model without <c>target</c> is
/// documented, and carries its canonical text, for the project's GPU.
/// </summary>
public sealed class ProjectBudgetTests
{
    private const string Model = """
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

    private static string Generated(params (string Name, string Value)[] properties)
    {
        var options = properties.Aggregate(ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", "Budgets"),
            (all, p) => all.Add("build_property." + p.Name, p.Value));
        var driver = CSharpGeneratorDriver.Create(
            new[] { new GeoModelGenerator().AsSourceGenerator() },
            new AdditionalText[] { GeoModelFile.Inline("tiny.geomodel", Model).AsAdditionalText() },
            References.ParseOptions,
            new TestOptionsProvider(options));
        var result = driver.RunGenerators(TestHelper.CreateCompilation(Array.Empty<string>())).GetRunResult();
        return Assert.Single(result.Results.SelectMany(r => r.GeneratedSources)).SourceText.ToString();
    }

    [Fact]
    public void WithoutPropertiesTheModelIsDocumentedForTheRtx4090()
    {
        string source = Generated();

        Assert.Contains("Memory on the RTX 4090 (24 GiB) at batch 8", source, StringComparison.Ordinal);
        Assert.Contains("    target rtx_4090\n", source, StringComparison.Ordinal);
    }

    [Fact]
    public void GeoDslTargetGpuIsTheGpuOfModelsWithoutTarget()
    {
        string source = Generated(("GeoDslTargetGpu", "t4"));

        Assert.Contains("Memory on the Tesla T4 (16 GiB) at batch 8", source, StringComparison.Ordinal);
        Assert.Contains("    target t4\n", source, StringComparison.Ordinal);
    }

    [Fact]
    public void GeoDslGpuMemoryGiBIsABudgetInTheCanonicalText()
    {
        string source = Generated(("GeoDslGpuMemoryGiB", "20"));

        Assert.Contains("(fits in 20.00 GiB)", source, StringComparison.Ordinal);
        Assert.Contains("    target { memory_gib = 20 }\n", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelOverTheProjectsBudgetIsStillGenerated()
    {
        string source = Generated(("GeoDslGpuMemoryGiB", "0.7"));

        Assert.Contains("does not fit", source, StringComparison.Ordinal);
    }
}
