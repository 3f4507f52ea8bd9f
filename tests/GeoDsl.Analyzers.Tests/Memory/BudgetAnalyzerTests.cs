using System.Threading;
using Basic.Reference.Assemblies;
using GeoDsl.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GeoDsl.Analyzers.Tests.Memory;

/// <summary>
/// Budgets as a project sets them: the MSBuild properties reach the analyzers as <c>build_property.*</c> in the global
/// analyzer config (what GeoDsl.props' CompilerVisibleProperty items produce), and set the GPU of models without
/// <c>target</c> and the severity of GEO2001/GEO2002; an unreadable value is GEO2003, once, without a location.
/// </summary>
public sealed class BudgetAnalyzerTests
{
    /// <summary>The tiny model (about 0.93 GiB on the device for training); <paramref name="extra"/> adds lines.</summary>
    private static string Tiny(string name = "M", string extra = "") => $$"""
        model {{name}} : segmentation {
            input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }
            backbone prithvi_eo_tiny
            neck select_indices { indices = [0, 1, 2, 3] }
            neck reshape_tokens_to_image
            neck learned_interpolate_to_pyramidal
            decoder unet { channels = [256, 128, 64, 32] }
            head segmentation { num_classes = 2 }
            {{extra}}
        }
        """;

    [Fact]
    public Task TheProjectsBudgetAppliesToModelsWithoutTargetAndIsReportedOnTheModelsName() => Run(
        Tiny("{|#0:M|}"),
        new[] { ("GeoDslGpuMemoryGiB", "0.7") },
        d => Assert.Contains("more than the 0.70 GiB of the custom budget", d.GetMessage(), StringComparison.Ordinal),
        Expected("GEO2001", DiagnosticSeverity.Error));

    [Fact]
    public Task AModelsOwnTargetIgnoresTheProjectsBudget() => Run(
        Tiny(extra: "target rtx_4090"),
        new[] { ("GeoDslGpuMemoryGiB", "0.7"), ("GeoDslTargetGpu", "t4") },
        messageCheck: null);

    [Fact]
    public Task TheProjectsGpuNamesTheCardInTheMessage() => Run(
        Tiny(extra: "train { batch_size = 2048 }").Replace("model M", "model {|#0:M|}", StringComparison.Ordinal),
        new[] { ("GeoDslTargetGpu", "t4") },
        d => Assert.Contains("of the Tesla T4 (16 GiB)", d.GetMessage(), StringComparison.Ordinal),
        Expected("GEO2001", DiagnosticSeverity.Error));

    [Theory]
    [InlineData("warning", DiagnosticSeverity.Warning)]
    [InlineData("info", DiagnosticSeverity.Info)]
    public Task GeoDslMemorySeverityLowersTheOverBudgetDiagnostic(string value, DiagnosticSeverity severity) => Run(
        Tiny(extra: "{|#0:target|} { memory_gib = 0.7 }"),
        new[] { ("GeoDslMemorySeverity", value) },
        messageCheck: null,
        Expected("GEO2001", severity));

    [Fact]
    public Task GeoDslMemorySeverityNoneSwitchesTheOverBudgetDiagnosticOff() => Run(
        Tiny(extra: "target { memory_gib = 0.7 }"),
        new[] { ("GeoDslMemorySeverity", "none") },
        messageCheck: null);

    [Fact]
    public Task WithinTheMarginIsAWarningOnTheTarget() => Run(
        Tiny(extra: "{|#0:target|} { memory_gib = 1 }"),
        Array.Empty<(string, string)>(),
        d => Assert.Contains("less than 10% is left", d.GetMessage(), StringComparison.Ordinal),
        Expected("GEO2002", DiagnosticSeverity.Warning));

    [Fact]
    public Task ASmallerMarginFromTheProjectSilencesIt() => Run(
        Tiny(extra: "target { memory_gib = 1 }"),
        new[] { ("GeoDslMemoryMarginPercent", "5") },
        messageCheck: null);

    [Fact]
    public Task AnUnknownGpuInTheProjectIsGeo2003WithoutALocationAndTheDefaultApplies() => Run(
        Tiny(),
        new[] { ("GeoDslTargetGpu", "rtx4090") },
        d => Assert.StartsWith("GeoDslTargetGpu 'rtx4090' is not a known GPU. Did you mean 'rtx_4090'?", d.GetMessage(), StringComparison.Ordinal),
        new DiagnosticResult("GEO2003", DiagnosticSeverity.Error));

    [Fact]
    public Task LoraOnAFrozenBackboneIsReportedOnFreezeBackbone() => Run(
        Tiny(extra: "train { peft_config = lora { r = 8 }, freeze_backbone = {|#0:true|} }"),
        Array.Empty<(string, string)>(),
        messageCheck: null,
        Expected("GEO3001", DiagnosticSeverity.Error));

    [Fact]
    public Task AnIdleScheduleIsAWarningOnItsArgument() => Run(
        Tiny(extra: "train { epochs = 5, scheduler = step { step_size = {|#0:10|} } }"),
        Array.Empty<(string, string)>(),
        messageCheck: null,
        Expected("GEO3003", DiagnosticSeverity.Warning));

    [Fact]
    public Task AnAttributedModelUsesTheProjectsBudgetToo()
    {
        var test = new Test<AttributedModelAnalyzer>(d => Assert.Contains("of the custom budget", d.GetMessage(), StringComparison.Ordinal));
        test.TestState.Sources.Add("""
            using GeoDsl;

            namespace Demo
            {
                [GeoModel("segmentation")]
                [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]")]
                [GeoBackbone("prithvi_eo_tiny")]
                [GeoNeck("select_indices", "indices = [0, 1, 2, 3]")]
                [GeoNeck("reshape_tokens_to_image")]
                [GeoNeck("learned_interpolate_to_pyramidal")]
                [GeoDecoder("unet", "channels = [256, 128, 64, 32]")]
                [GeoHead("segmentation", "num_classes = 2")]
                public partial class {|#0:FloodMapper|}
                {
                }
            }
            """);
        test.TestState.AnalyzerConfigFiles.Add(GlobalConfig(new[] { ("GeoDslGpuMemoryGiB", "0.7") }));
        test.ExpectedDiagnostics.Add(Expected("GEO2001", DiagnosticSeverity.Error));
        return test.RunAsync(CancellationToken.None);
    }

    private static DiagnosticResult Expected(string id, DiagnosticSeverity severity) => new DiagnosticResult(id, severity).WithLocation(0);

    private static Task Run(string model, IEnumerable<(string Name, string Value)> properties, Action<Diagnostic>? messageCheck, params DiagnosticResult[] expected)
    {
        var test = new Test<GeoModelFileAnalyzer>(messageCheck);
        test.TestState.Sources.Add("internal static class Empty { }");
        test.TestState.AdditionalFiles.Add((TestHelper.ModelPath, model));
        test.TestState.AnalyzerConfigFiles.Add(GlobalConfig(properties));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The global analyzer config MSBuild writes for CompilerVisibleProperty items.</summary>
    private static (string, string) GlobalConfig(IEnumerable<(string Name, string Value)> properties) =>
        ("/.globalconfig", "is_global = true\n" + string.Concat(properties.Select(p => $"build_property.{p.Name} = {p.Value}\n")));

    private sealed class Test<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public Test(Action<Diagnostic>? messageCheck)
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Net100.References.All);
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(GeoModelAttribute).Assembly.Location));
            if (messageCheck is not null)
            {
                DiagnosticVerifier = (diagnostic, _, _) => messageCheck(diagnostic);
            }
        }
    }
}
