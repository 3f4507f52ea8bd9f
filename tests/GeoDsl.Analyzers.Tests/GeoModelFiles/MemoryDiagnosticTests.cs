using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>GEO2001: training that does not fit the target GPU is a warning on the target, with the breakdown and advice.</summary>
public sealed class MemoryDiagnosticTests
{
    // Top level only: models/terratorch-wrong holds examples that must fail (checked by the corpus tests).
    public static TheoryData<string> ReferenceModels() => new(Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.geomodel", SearchOption.TopDirectoryOnly)
        .Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal));

    [Fact]
    public Task TheSen1Floods11ModelAtBatch16DoesNotFitAnRtx4090() => TestHelper.AnalyzeModelAsync(
        ReferenceModel("sen1floods11_prithvi_300_unet.geomodel").Replace("target a100_40gb", "target {|#0:rtx_4090|}", StringComparison.Ordinal),
        d =>
        {
            string message = d.GetMessage();
            Assert.Contains("Training 'Sen1Floods11Prithvi300' needs about", message, StringComparison.Ordinal);
            Assert.Contains("more than the 23.99 GiB of the RTX 4090 (24 GiB)", message, StringComparison.Ordinal);
            Assert.Contains("'batch_size = ", message, StringComparison.Ordinal);
        },
        TestHelper.Diagnostic("GEO2001"));

    [Fact]
    public Task ASmallBatchOfTheSameModelFits() => TestHelper.AnalyzeModelAsync(
        ReferenceModel("sen1floods11_prithvi_300_unet.geomodel")
            .Replace("target a100_40gb", "target rtx_4090", StringComparison.Ordinal)
            .Replace("batch_size   = 16", "batch_size   = 2", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public Task EveryReferenceModelFitsItsTargetWithoutAnyDiagnostic(string model) => TestHelper.AnalyzeModelAsync(
        // InternVL and EarthMind store a separate lm_head for their tied Qwen language models: the files say so, and GEO1105
        // (info) tells the reader what that adds. Any other diagnostic fails the test.
        ReferenceModel(model).Replace("tie_word_embeddings = false", "tie_word_embeddings = {|GEO1105:false|}", StringComparison.Ordinal));

    private static string ReferenceModel(string fileName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models", fileName));
}
