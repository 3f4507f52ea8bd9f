using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Vlm;

/// <summary>The canonical text of a vlm model (what the generated class carries) compiles back to the same spec.</summary>
public sealed class VlmCanonicalTextTests
{
    public static TheoryData<string> VlmReferenceFiles() => new(Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "vlm_*.geomodel")
        .Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(VlmReferenceFiles))]
    public void EveryReferenceVlmModelsCanonicalTextCompilesToAnEqualSpec(string file)
    {
        var models = GeoModelCompiler.Compile(file, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models", file))).VlmModels;
        Assert.NotEmpty(models);
        foreach (var model in models)
        {
            string canonical = ModelSpecWriter.Write(model.Spec);
            var again = GeoModelCompiler.Compile("canonical.geomodel", canonical);
            Assert.DoesNotContain(again.Diagnostics, d => d.Severity == GeoDsl.Composition.Diagnostics.DiagnosticSeverity.Error);
            Assert.Equal(model.Spec, Assert.Single(again.VlmModels).Spec);
        }
    }

    [Fact]
    public void ATextOnlyModelHasNoVisionImagesOrProjectorInItsCanonicalText()
    {
        const string text = "model T : vlm {\n    language_model qwen2_5_0_5b\n    text { context_length = 512 }\n    train { language_model = lora { r = 8 } }\n    target h200\n}\n";
        var spec = Assert.Single(GeoModelCompiler.Compile("t.geomodel", text).VlmModels).Spec;
        string canonical = ModelSpecWriter.Write(spec);
        Assert.DoesNotContain("\n    vision ", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("\n    images", canonical, StringComparison.Ordinal);
        Assert.Equal(spec, Assert.Single(GeoModelCompiler.Compile("c.geomodel", canonical).VlmModels).Spec);
    }
}
