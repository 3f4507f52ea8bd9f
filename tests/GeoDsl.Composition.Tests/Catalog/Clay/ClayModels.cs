using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.Clay;

/// <summary>Small segmentation models on a Clay backbone, compiled by the front end.</summary>
internal static class ClayModels
{
    public const string SentinelTwo = "BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, SWIR_1, SWIR_2";

    public static FileAnalysis Compile(string backbone, string size = "256", string bands = SentinelTwo, string arguments = "") =>
        TestModels.Compile($$"""
            model C : segmentation {
                input { bands = [{{bands}}], size = {{size}} }
                backbone {{backbone}} { {{arguments}} }
                neck select_indices { indices = [-1] }
                neck reshape_tokens_to_image
                decoder fcn { channels = 16, num_convs = 2 }
                head segmentation { num_classes = 2 }
            }
            """);

    /// <summary>The backbone's features of a model that compiles without errors.</summary>
    public static FeatureShape Backbone(FileAnalysis file) => TestModels.Single(file).Trace.Stages[0].Output;

    public static GeoDiagnostic SingleError(FileAnalysis file) =>
        Assert.Single(file.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
}
