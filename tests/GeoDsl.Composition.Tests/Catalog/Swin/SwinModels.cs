using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests.Catalog.Swin;

/// <summary>Inline Swin models for the front-end tests.</summary>
internal static class SwinModels
{
    public const string Rgb = "RED, GREEN, BLUE";

    public const string Hls = "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2";

    public const string Sentinel2Multispectral = "RED, GREEN, BLUE, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, SWIR_1, SWIR_2";

    public const string ToChannelFirst = "neck permute_dims { new_order = [0, 3, 1, 2] }";

    /// <summary>A segmentation model on a Swin: its maps turned channel-first, then UperNet.</summary>
    public static string Model(string backbone, string bands = Rgb, string arguments = "", string size = "224", string frames = "1",
        string necks = ToChannelFirst, string decoder = "decoder uper_net { channels = 64 }") => $$"""
        model S : segmentation {
            input { bands = [{{bands}}], size = {{size}}, frames = {{frames}} }
            backbone {{backbone}} { {{arguments}} }
            {{necks}}
            {{decoder}}
            head segmentation { num_classes = 2 }
        }
        """;

    public static FileAnalysis Compile(string text) => GeoModelCompiler.Compile("swin.geomodel", text);

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

    public static IReadOnlyList<string> Shapes(ModelAnalysis analysis) => Backbone(analysis).Output.Tensors.Select(t => t.ToString()).ToList();
}
