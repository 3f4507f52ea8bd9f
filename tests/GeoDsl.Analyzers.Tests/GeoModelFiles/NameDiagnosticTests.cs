using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>GEO0010–GEO0023: names, arguments and sections, with "did you mean" where a known name is close.</summary>
public sealed class NameDiagnosticTests
{
    [Fact]
    public Task AMistypedBackboneIsReportedWithTheClosestName() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("backbone prithvi_eo_tiny", "backbone {|#0:prithvi_eo_v2_30|}"),
        d => Assert.Contains("Did you mean 'prithvi_eo_v2_300'?", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0011"));

    [Fact]
    public Task AMistypedBackboneIsMarkedByIdAlone() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("backbone prithvi_eo_tiny", "backbone {|GEO0011:prithvi_eo_v2_30|}"));

    [Fact]
    public Task AMistypedTaskIsReportedWithTheClosestTask() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(": segmentation", ": {|#0:segmentaton|}"),
        d => Assert.Contains("Did you mean 'segmentation'?", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0010"));

    [Fact]
    public Task AMistypedArgumentIsReportedWithTheClosestArgument() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("num_classes = 2", "num_classes = 2, {|#0:num_clases|} = 3"),
        d => Assert.Contains("Did you mean 'num_classes'?", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0012"));

    [Fact]
    public Task AStringWhereANumberBelongsIsAnArgumentTypeError() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("num_classes = 2", "num_classes = {|#0:\"two\"|}"),
        d => Assert.Contains("must be an integer from 2 to 100000; got the string \"two\"", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0013"));

    [Fact]
    public Task ANumberOutsideItsRangeIsReported() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = {|GEO0014:0|}"));

    [Fact]
    public Task AnArgumentSetTwiceIsReportedOnTheSecond() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = 2, {|GEO0015:num_classes|} = 3"));

    [Fact]
    public Task AMissingSectionIsReportedOnTheModelName() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("model M", "model {|GEO0016:M|}"), ("    backbone prithvi_eo_tiny\n", "")));

    [Fact]
    public Task AnUnknownBandIsReportedWithTheClosestBand() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("SWIR_2]", "{|#0:SWIR_3|}]"),
        d => Assert.Contains("Did you mean 'SWIR_1'?", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0018"));

    [Fact]
    public Task ARequiredArgumentLeftOutIsReportedOnTheComponent() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("head segmentation { num_classes = 2 }", "head {|GEO0020:segmentation|} { }"));

    [Fact]
    public Task ASecondModelWithTheSameNameIsReportedWhereTheFirstIs() => TestHelper.AnalyzeModelAsync(
        Models.Valid + "\n" + Models.ValidWith("model M", "model {|#0:M|}"),
        d => Assert.Contains($"already declared at {TestHelper.ModelPath}(1,7)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0021"));
}
