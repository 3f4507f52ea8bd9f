using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Tests;

/// <summary>Compiles inline models and the reference files under models/.</summary>
internal static class TestModels
{
    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    public static FileAnalysis CompileReference(string fileName)
    {
        string path = Path.Combine(ModelsDirectory, fileName);
        return GeoModelCompiler.Compile(path, File.ReadAllText(path));
    }

    public static FileAnalysis Compile(string text) => GeoModelCompiler.Compile("test.geomodel", text);

    /// <summary>The only model of a file that must compile without errors (a model over its memory budget, GEO2xxx, still compiles).</summary>
    public static ModelAnalysis Single(FileAnalysis file)
    {
        var errors = file.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("GEO2", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "Unexpected errors:\n" + string.Join("\n", errors));
        return Assert.Single(file.Models);
    }

    /// <summary>A minimal valid segmentation model on prithvi_eo_tiny; each part can be replaced.</summary>
    public static string Segmentation(string backbone = "backbone prithvi_eo_tiny", string necks = "neck select_indices { indices = [0, 1, 2, 3] }\n    neck reshape_tokens_to_image\n    neck learned_interpolate_to_pyramidal",
        string decoder = "decoder unet { channels = [256, 128, 64, 32] }", string head = "head segmentation { num_classes = 2 }", string input = "input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]\n size = 224 }", string extra = "") => $$"""
        model M : segmentation {
            {{input}}
            {{backbone}}
            {{necks}}
            {{decoder}}
            {{head}}
            {{extra}}
        }
        """;
}
