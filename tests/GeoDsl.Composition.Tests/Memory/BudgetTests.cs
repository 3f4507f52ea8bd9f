using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Memory;

/// <summary>Budgets: the model's target, the project's options, the two budget rules and their advice.</summary>
public sealed class BudgetTests
{
    /// <summary>The tiny model's training needs about 0.93 GiB on the device.</summary>
    private static long TinyDevice => Estimates.Of(Estimates.Tiny()).TrainingDeviceBytes;

    [Fact]
    public void AModelWithoutTargetIsCheckedAgainstTheProjectsGpu()
    {
        var spec = Estimates.Analyze(Estimates.Tiny(), CompileOptions.Default with { TargetGpu = "rtx_3090" }).Spec;

        Assert.Equal(new TargetSpec("rtx_3090", 24L << 30, "RTX 3090 (24 GiB)"), spec.Target);
    }

    [Fact]
    public void TheModelsOwnTargetWinsOverTheProjects()
    {
        var spec = Estimates.Analyze(Estimates.Tiny(target: "target t4"), CompileOptions.Default with { TargetGpu = "rtx_3090", GpuMemoryGiB = 20 }).Spec;

        Assert.Equal("t4", spec.Target.Gpu);
        Assert.Equal(16L << 30, spec.Target.MemoryBytes);
    }

    [Fact]
    public void AProjectBudgetInGibReplacesTheCardsSizeAndSurvivesTheCanonicalText()
    {
        var spec = Estimates.Analyze(Estimates.Tiny(), CompileOptions.Default with { GpuMemoryGiB = 20.5 }).Spec;
        string canonical = ModelSpecWriter.Write(spec);

        Assert.Equal((long)(20.5 * 1024) << 20, spec.Target.MemoryBytes);
        Assert.Contains("target { memory_gib = 20.5 }", canonical, StringComparison.Ordinal);
        Assert.Equal(spec, Estimates.Analyze(canonical).Spec);
    }

    [Theory]
    [InlineData("target { memory_gib = 12 }", "custom", 12 * 1024)]
    [InlineData("target rtx_4090 { memory_gib = 20 }", "rtx_4090", 20 * 1024)]
    [InlineData("target h200", "h200", 141 * 1024)]
    public void ATargetNamesACardABudgetOrBoth(string target, string gpu, long mib)
    {
        var spec = Estimates.Analyze(Estimates.Tiny(target: target)).Spec;

        Assert.Equal((gpu, mib << 20), (spec.Target.Gpu, spec.Target.MemoryBytes));
        Assert.Equal(spec, Estimates.Analyze(ModelSpecWriter.Write(spec)).Spec);
    }

    [Fact]
    public void ABudgetCannotExceedTheCardItIsPartOf()
    {
        string text = Estimates.Tiny(target: "target rtx_4090 { memory_gib = 30 }");
        var d = Diagnosed.One(GeoModelCompiler.Compile("t.geomodel", text), "GEO0014", 10, text.Split('\n')[9].IndexOf("30", StringComparison.Ordinal) + 1);

        Assert.Equal("'memory_gib' of target 'rtx_4090' must be at most the card's 23.99 GiB; got 30", d.Message);
    }

    [Fact]
    public void OverTheBudgetIsAnErrorOnTheTargetWithTheBreakdownAndEveryRemedysTotal()
    {
        var file = GeoModelCompiler.Compile("t.geomodel", Estimates.Tiny(target: "target { memory_gib = 0.7 }"));
        var d = Diagnosed.Single(file, "GEO2001", 10, 5);

        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("Training 'M' needs about 0.93 GiB on the device (peak allocated ", d.Message, StringComparison.Ordinal);
        Assert.Contains("more than the 0.70 GiB of the custom budget. Each of these would fit: 'batch_size = ", d.Message, StringComparison.Ordinal);
        Assert.Contains("'gradient_checkpointing = true' (", d.Message, StringComparison.Ordinal);
        Assert.Contains("'precision = bf16_mixed' (", d.Message, StringComparison.Ordinal);
        Assert.Contains("'freeze_backbone = true' (", d.Message, StringComparison.Ordinal);
        Assert.Contains("'peft_config = lora { r = 8 }' (", d.Message, StringComparison.Ordinal);
        Assert.Single(file.Models); // The model is valid; only the card is too small.
    }

    [Fact]
    public void WithinTenPercentOfTheBudgetIsAWarning()
    {
        double gib = TinyDevice / 0.95 / Estimates.GiB;
        var file = GeoModelCompiler.Compile("t.geomodel", Estimates.Tiny(target: $"target {{ memory_gib = {gib.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)} }}"));
        var d = Diagnosed.Single(file, "GEO2002", 10, 5);

        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains(", 95% of the ", d.Message, StringComparison.Ordinal);
        Assert.Contains("less than 10% is left", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BudgetSeverity.Warning, DiagnosticSeverity.Warning)]
    [InlineData(BudgetSeverity.Info, DiagnosticSeverity.Info)]
    public void TheProjectCanLowerTheOverBudgetSeverity(BudgetSeverity configured, DiagnosticSeverity reported)
    {
        var file = GeoModelCompiler.Compile("t.geomodel", Estimates.Tiny(target: "target { memory_gib = 0.7 }"), options: CompileOptions.Default with { OverBudget = configured });

        Assert.Equal(reported, Assert.Single(file.Diagnostics).Severity);
        Assert.Equal("GEO2001", file.Diagnostics[0].Id);
    }

    [Fact]
    public void NoneSwitchesTheBudgetRulesOff()
    {
        var options = CompileOptions.Default with { OverBudget = BudgetSeverity.None, NearBudget = BudgetSeverity.None };

        Assert.Empty(GeoModelCompiler.Compile("t.geomodel", Estimates.Tiny(target: "target { memory_gib = 0.7 }"), options: options).Diagnostics);
    }

    [Fact]
    public void TheMarginIsConfigurable()
    {
        double gib = TinyDevice / 0.95 / Estimates.GiB;
        string text = Estimates.Tiny(target: $"target {{ memory_gib = {gib.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)} }}");

        Assert.Empty(GeoModelCompiler.Compile("t.geomodel", text, options: CompileOptions.Default with { NearBudgetFraction = 0.02 }).Diagnostics);
    }

    [Fact]
    public void TheLargestBatchNamedFitsAndOneMoreDoesNot()
    {
        var analysis = Estimates.Analyze(Estimates.Tiny("batch_size = 64"));
        var shapes = new Composition.Shapes.ShapeInference(ComponentCatalog.Default).Infer(analysis.Spec, new Composition.Binding.SpecLocations(),
            new DiagnosticSink("t", new Composition.Text.SourceText(string.Empty)));
        long limit = analysis.Memory.TrainingDeviceBytes / 3;

        int batch = MemoryBudget.LargestBatch(analysis.Spec, shapes, ComponentCatalog.Default, limit)!.Value;

        Assert.True(Device(batch) <= limit);
        Assert.True(Device(batch + 1) > limit);

        long Device(int b) => MemoryEstimator.Estimate(analysis.Spec with { Train = analysis.Spec.Train with { BatchSize = b } }, shapes, ComponentCatalog.Default).TrainingDeviceBytes;
    }

    [Fact]
    public void ProjectPropertiesAreReadAndEachUnreadableOneIsNamedWithASuggestion()
    {
        var values = new Dictionary<string, string>
        {
            ["GeoDslTargetGpu"] = "rtx4090",
            ["GeoDslGpuMemoryGiB"] = "twenty",
            ["GeoDslMemorySeverity"] = "Warning",
            ["GeoDslMemoryNearSeverity"] = "loud",
            ["GeoDslMemoryMarginPercent"] = "5",
        };

        var options = BuildProperties.Read(name => values.TryGetValue(name, out string? v) ? v : null, out var problems);

        Assert.Equal(CompileOptions.Default with { OverBudget = BudgetSeverity.Warning, NearBudgetFraction = 0.05 }, options);
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("GeoDslTargetGpu 'rtx4090' is not a known GPU. Did you mean 'rtx_4090'?", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("GeoDslGpuMemoryGiB 'twenty' is not a memory size", problems[1], StringComparison.Ordinal);
        Assert.Equal("GeoDslMemoryNearSeverity 'loud' is not a severity; use error, warning, info or none.", problems[2]);
    }

    [Fact]
    public void UnsetPropertiesLeaveTheDefaults()
    {
        var options = BuildProperties.Read(_ => null, out var problems);

        Assert.Equal(CompileOptions.Default, options);
        Assert.Empty(problems);
        Assert.Equal(new[] { "GeoDslTargetGpu", "GeoDslGpuMemoryGiB", "GeoDslMemorySeverity", "GeoDslMemoryNearSeverity", "GeoDslMemoryMarginPercent" }, BuildProperties.All);
    }
}
