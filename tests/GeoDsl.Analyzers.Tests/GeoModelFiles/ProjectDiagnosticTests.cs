using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>
/// GEO0021 across files: each model becomes a class, so the same model name in two files (or a file model and a
/// <c>[GeoModel]</c> class of the same full name) declares one class twice. The generator keeps the first declaration;
/// the analyzer reports the others where they are written.
/// </summary>
public sealed class ProjectDiagnosticTests
{
    [Fact]
    public Task TheSameModelInASecondFileIsReportedThere() => TestHelper.AnalyzeFilesAsync(
        new[] { ("/project/a.geomodel", Models.Valid), ("/project/b.geomodel", Models.ValidWith("model M", "model {|#0:M|}")) },
        d => Assert.Contains("A model named 'M' is already declared at /project/a.geomodel(1,7)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0021"));

    [Fact]
    public Task ModelsWithTheSameNameInDifferentNamespacesAreDistinctClasses() => TestHelper.AnalyzeFilesAsync(
        new[] { ("/project/a.geomodel", "namespace Floods.A\n" + Models.Valid), ("/project/b.geomodel", "namespace Floods.B\n" + Models.Valid) },
        messageCheck: null);

    [Fact]
    public Task AFileModelThatRepeatsAnAttributedClassIsReportedOnTheFile() => TestHelper.AnalyzeFilesAsync(
        new[] { ("/project/a.geomodel", "namespace Demo\n" + Models.ValidWith("model M", "model {|#0:M|}")) },
        """
        namespace Demo
        {
            [GeoDsl.GeoModel("segmentation")]
            [GeoDsl.GeoInput("bands = [BLUE, GREEN, RED]")]
            [GeoDsl.GeoBackbone("prithvi_eo_tiny")]
            [GeoDsl.GeoNeck("reshape_tokens_to_image")]
            [GeoDsl.GeoDecoder("fcn")]
            [GeoDsl.GeoHead("segmentation", "num_classes = 2")]
            public partial class M { }
        }
        """,
        d => Assert.Contains("A model named 'M' is already declared at /0/Test0.cs(", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0021"));

    [Fact]
    public Task AModelWithErrorsIsNotAlsoReportedAsADuplicate() => TestHelper.AnalyzeFilesAsync(
        new[] { ("/project/a.geomodel", Models.Valid), ("/project/b.geomodel", Models.ValidWith("num_classes = 2", "num_classes = {|GEO0014:0|}")) },
        messageCheck: null);
}
