using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests.Catalog.TerraMind;

/// <summary>Inline TerraMind models for the front-end tests.</summary>
internal static class TerraMindModels
{
    public const string S2L1C = "COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, CIRRUS, SWIR_1, SWIR_2";

    public const string S2L2A = "COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, SWIR_1, SWIR_2";

    /// <summary>A segmentation model on a TerraMind backbone: the last block's tokens as one map, an FCN decoder.</summary>
    public static string Model(string bands, string backbone = "terramind_v1_base", string arguments = "", string size = "224", string necks = "neck select_indices { indices = [-1] }\n    neck reshape_tokens_to_image { remove_cls_token = false }", string input = "") => $$"""
        model T : segmentation {
            input { bands = [{{bands}}], size = {{size}} {{input}} }
            backbone {{backbone}} { {{arguments}} }
            {{necks}}
            decoder fcn { channels = 64, num_convs = 2 }
            head segmentation { num_classes = 2 }
        }
        """;

    public static FileAnalysis Compile(string text) => GeoModelCompiler.Compile("terramind.geomodel", text);

    public static ModelAnalysis Valid(string text)
    {
        var file = Compile(text);
        var errors = file.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "Unexpected errors:\n" + string.Join("\n", errors));
        return Assert.Single(file.Models);
    }

    /// <summary>The only error of a model that must not compile.</summary>
    public static GeoDiagnostic SingleError(string text)
    {
        var file = Compile(text);
        Assert.Empty(file.Models);
        return Assert.Single(file.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    public static GeoDsl.Composition.Shapes.StageTrace Backbone(ModelAnalysis analysis) => analysis.Trace.Stages.First(s => s.Kind == "backbone");
}
