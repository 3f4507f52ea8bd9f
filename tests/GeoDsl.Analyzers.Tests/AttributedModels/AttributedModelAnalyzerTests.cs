using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.AttributedModels;

/// <summary>
/// The same front-end checks on <c>[GeoModel]</c> classes, reported on the attribute argument (on the exact characters
/// when the string literal spells its value out, else on the whole argument).
/// </summary>
public sealed class AttributedModelAnalyzerTests
{
    /// <summary>A valid attributed model; <c>{0}</c>–<c>{4}</c> are the backbone, indices, decoder, head arguments and task.</summary>
    private static string Model(
        string backbone = "\"prithvi_eo_tiny\"",
        string indices = "\"indices = [0, 1, 2, 3]\"",
        string decoder = "\"unet\", \"channels = [256, 128, 64, 32]\"",
        string head = "\"segmentation\", \"num_classes = 2\"",
        string task = "\"segmentation\"") => $$"""
        using GeoDsl;

        namespace Demo
        {
            [GeoModel({{task}})]
            [GeoInput("bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]")]
            [GeoBackbone({{backbone}})]
            [GeoNeck("select_indices", {{indices}})]
            [GeoNeck("reshape_tokens_to_image")]
            [GeoNeck("learned_interpolate_to_pyramidal")]
            [GeoDecoder({{decoder}})]
            [GeoHead({{head}})]
            public partial class FloodMapper
            {
            }
        }
        """;

    [Fact]
    public Task AValidAttributedModelHasNoDiagnostics() => TestHelper.AnalyzeClassAsync(Model());

    [Fact]
    public Task AClassThatIsNotPartialIsReportedOnItsName() =>
        TestHelper.AnalyzeClassAsync(Model().Replace("public partial class FloodMapper", "public class {|GEO0024:FloodMapper|}", StringComparison.Ordinal));

    [Fact]
    public Task AGenericClassIsReportedOnItsName() =>
        TestHelper.AnalyzeClassAsync(Model().Replace("public partial class FloodMapper", "public partial class {|GEO0024:FloodMapper|}<T>", StringComparison.Ordinal));

    [Fact]
    public Task AnIndexOutOfRangeIsReportedInsideTheArgumentString() =>
        TestHelper.AnalyzeClassAsync(Model(indices: "\"indices = [0, 1, 2, {|GEO1002:40|}]\""));

    [Fact]
    public Task ASingleIndexOutOfRangeIsReportedOnItself() =>
        TestHelper.AnalyzeClassAsync(Model(indices: "\"indices = [{|GEO1002:40|}]\"").Replace("[GeoNeck(\"learned_interpolate_to_pyramidal\")]", "", StringComparison.Ordinal)
            .Replace("\"unet\", \"channels = [256, 128, 64, 32]\"", "\"fcn\"", StringComparison.Ordinal));

    [Fact]
    public Task AMistypedBackboneIsReportedWithTheClosestName() => TestHelper.AnalyzeClassAsync(
        Model(backbone: "\"{|#0:prithvi_eo_v2_30|}\""),
        d => Assert.Contains("Did you mean 'prithvi_eo_v2_300'?", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO0011"));

    [Fact]
    public Task AMistypedTaskIsReportedOnTheGeoModelArgument() =>
        TestHelper.AnalyzeClassAsync(Model(task: "\"{|GEO0010:segmentaton|}\""));

    [Fact]
    public Task AnArgumentWithEscapesIsReportedOnTheWholeLiteral() =>
        TestHelper.AnalyzeClassAsync(Model(head: "\"segmentation\", {|GEO0013:\"num_classes = \\\"two\\\"\"|}"));

    [Fact]
    public Task AVerbatimStringArgumentIsReportedOnTheExactCharacters() =>
        TestHelper.AnalyzeClassAsync(Model(head: "\"segmentation\", @\"num_classes = {|GEO0014:0|}\""));

    [Fact]
    public Task ShapeContractsAreCheckedAcrossAttributes() => TestHelper.AnalyzeClassAsync(
        Model(decoder: "\"unet\", \"channels = {|#0:[256, 128, 64]|}\""),
        d => Assert.Contains("has 3 'channels' entries but receives 4", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1004"));

    [Fact]
    public Task AMissingSectionIsReportedOnTheClassName() => TestHelper.AnalyzeClassAsync(
        Model().Replace("[GeoHead(\"segmentation\", \"num_classes = 2\")]", "", StringComparison.Ordinal)
            .Replace("[GeoBackbone(\"prithvi_eo_tiny\")]", "", StringComparison.Ordinal)
            .Replace("class FloodMapper", "class {|GEO0016:FloodMapper|}", StringComparison.Ordinal));

    [Fact]
    public Task AClassWithoutGeoModelIsNotAnalyzed() => TestHelper.AnalyzeClassAsync("""
        using GeoDsl;

        [GeoBackbone("prithvi_eo_v2_30")]
        [GeoNeck("select_indices", "indices = [40]")]
        public partial class NotAModel { }
        """);
}
