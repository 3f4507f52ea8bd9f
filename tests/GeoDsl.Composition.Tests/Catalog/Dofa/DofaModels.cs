using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.Dofa;

/// <summary>Small segmentation models on a DOFA backbone, compiled by the front end.</summary>
internal static class DofaModels
{
    /// <summary>The nine Sentinel-2 bands of DOFA's README example.</summary>
    public const string SentinelTwo = "RED, GREEN, BLUE, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, SWIR_1, SWIR_2";

    public static FileAnalysis Compile(string backbone = "dofa_base_patch16_224", string size = "224", string bands = SentinelTwo, string arguments = "") =>
        TestModels.Compile($$"""
            model D : segmentation {
                input { bands = [{{bands}}], size = {{size}} }
                backbone {{backbone}} { {{arguments}} }
                neck select_indices { indices = [-1] }
                neck reshape_tokens_to_image
                decoder fcn { channels = 16, num_convs = 2 }
                head segmentation { num_classes = 2 }
            }
            """);

    public static FeatureShape Backbone(FileAnalysis file) => TestModels.Single(file).Trace.Stages[0].Output;

    public static GeoDiagnostic SingleError(FileAnalysis file) =>
        Assert.Single(file.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
}
