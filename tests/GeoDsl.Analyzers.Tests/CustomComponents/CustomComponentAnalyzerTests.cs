using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.CustomComponents;

/// <summary>
/// Custom components: a declaration that cannot hold is reported on itself (GEO1040–GEO1044); a valid one is used from
/// <c>.geomodel</c> files by name and gets the same diagnostics as a built-in.
/// </summary>
public sealed class CustomComponentAnalyzerTests
{
    /// <summary>A backbone class; <c>{0}</c> is the attribute, <c>{1}</c> the feature type it returns.</summary>
    private static string Backbone(string attribute, string features = "MapFeatures") => $$"""
        using GeoDsl;
        using GeoDsl.Runtime.Features;

        namespace Demo
        {
            {{attribute}}
            public sealed class MyEncoder : Backbone<{{features}}>
            {
                public MyEncoder() : base("my_encoder") { }

                public override {{features}} forward(BackboneInput input) => throw new System.NotImplementedException();
            }
        }
        """;

    private const string Valid = "[GeoCustomBackbone(\"my_encoder\", InChannels = 6, Output = FeatureKinds.Maps, Channels = new[] { 32, 64, 128, 256 }, Strides = new[] { 4, 8, 16, 32 })]";

    private static Task Declaration(string attribute, string features = "MapFeatures", Action<Microsoft.CodeAnalysis.Diagnostic>? check = null) =>
        TestHelper.AnalyzeSourceAsync<CustomComponentAnalyzer>(Backbone(attribute, features), check);

    [Fact]
    public Task AConsistentDeclarationHasNoDiagnostics() => Declaration(Valid);

    [Fact]
    public Task ChannelsForThreeOutputsAndStridesForFourAreReportedOnTheStrides() => Declaration(
        "[GeoCustomBackbone(\"my_encoder\", Output = FeatureKinds.Maps, Channels = new[] { 32, 64, 128 }, {|GEO1040:Strides = new[] { 4, 8, 16, 32 }|})]",
        check: d => Assert.Contains("lists channels for 3 outputs but strides for 4", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task AStrideThatIsNotAPowerOfTwoIsReported() => Declaration(
        "[GeoCustomBackbone(\"my_encoder\", Output = FeatureKinds.Maps, Channels = new[] { 32, 64 }, {|GEO1041:Strides = new[] { 4, 12 }|})]",
        check: d => Assert.Contains("declares Strides = 12, which is not a power of two", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task AnUnknownFeatureKindIsReportedWithTheClosestKind() => Declaration(
        "[GeoCustomBackbone(\"my_encoder\", {|GEO1042:Output = \"map\"|}, Channels = new[] { 32 }, Strides = new[] { 4 })]",
        check: d => Assert.Contains("Did you mean 'maps'?", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task AClassReturningOtherFeaturesThanDeclaredIsReportedOnItsName() => Declaration(
        "[GeoCustomBackbone({|GEO1044:\"my_encoder\"|}, Output = FeatureKinds.Maps, Channels = new[] { 32 }, Strides = new[] { 4 })]",
        features: "TokenFeatures",
        check: d => Assert.Contains("returns TokenFeatures (tokens) but declares Output = \"maps\"", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task ANameTheCatalogAlreadyHasIsReportedOnTheName() => Declaration(
        "[GeoCustomBackbone({|GEO1044:\"resnet18\"|}, Output = FeatureKinds.Maps, Channels = new[] { 32 }, Strides = new[] { 4 })]");

    private const string ModelWith = """
        model CustomFlood : segmentation {
            input    { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2], size = 256 }
            backbone BACKBONE
            decoder  unet { channels = [256, 128, 64, 32] }
            head     segmentation { num_classes = 2 }
        }
        """;

    [Fact]
    public Task AGeoModelFileUsesAValidCustomBackboneByNameWithoutDiagnostics() =>
        TestHelper.AnalyzeFilesAsync(new[] { (TestHelper.ModelPath, ModelWith.Replace("BACKBONE", "my_encoder", StringComparison.Ordinal)) }, Backbone(Valid), messageCheck: null);

    [Fact]
    public Task AMistypedCustomNameGetsTheClosestCustomName() => TestHelper.AnalyzeFilesAsync(
        new[] { (TestHelper.ModelPath, ModelWith.Replace("BACKBONE", "{|GEO0011:my_encodr|}", StringComparison.Ordinal)) }, Backbone(Valid),
        d => Assert.Contains("Did you mean 'my_encoder'?", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task ACustomBackboneWithTheWrongBandCountIsReportedLikeABuiltIn() => TestHelper.AnalyzeFilesAsync(
        new[] { (TestHelper.ModelPath, ModelWith.Replace("BACKBONE", "{|GEO0014:my_encoder|}", StringComparison.Ordinal).Replace("NIR_NARROW, SWIR_1, SWIR_2", "NIR_NARROW", StringComparison.Ordinal)) },
        Backbone(Valid), d => Assert.Contains("must be 6 band(s)", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task ACustomTokenBackboneFeedingADecoderIsReportedWithTheNeckToAdd() => TestHelper.AnalyzeFilesAsync(
        new[] { (TestHelper.ModelPath, ModelWith.Replace("BACKBONE", "my_encoder", StringComparison.Ordinal).Replace("decoder  unet", "decoder  {|GEO1001:unet|}", StringComparison.Ordinal)) },
        Backbone("[GeoCustomBackbone(\"my_encoder\", Output = FeatureKinds.Tokens, TokenWidth = 192, PatchSize = 16, TokenOutputs = 4)]", "TokenFeatures"),
        d => Assert.Contains("Add 'neck reshape_tokens_to_image' before it.", d.GetMessage(), StringComparison.Ordinal));

    /// <summary>A [GeoModel] class on the custom backbone; <c>{0}</c> is its bands.</summary>
    private static string AttributedModel(string bands) => $$"""
        namespace Demo
        {
            [GeoDsl.GeoModel("segmentation")]
            [GeoDsl.GeoInput("{{bands}}")]
            [GeoDsl.GeoBackbone("my_encoder")]
            [GeoDsl.GeoDecoder("unet", "channels = [256, 128, 64, 32]")]
            [GeoDsl.GeoHead("segmentation", "num_classes = 2")]
            public partial class AttributedFlood
            {
            }
        }
        """;

    [Fact]
    public Task AnAttributedModelUsesACustomBackboneByNameWithTheSameChecks() => TestHelper.AnalyzeClassAsync(
        Backbone(Valid) + AttributedModel("bands = [BLUE, GREEN, RED]").Replace("GeoBackbone(\"my_encoder\")", "GeoBackbone(\"{|GEO0014:my_encoder|}\")", StringComparison.Ordinal),
        d => Assert.Contains("must be 6 band(s)", d.GetMessage(), StringComparison.Ordinal));

    [Fact]
    public Task AnAttributedModelOnAValidCustomBackboneHasNoDiagnostics() =>
        TestHelper.AnalyzeClassAsync(Backbone(Valid) + AttributedModel("bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]"));
}
