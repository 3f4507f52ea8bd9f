using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Catalog.SatMae;

/// <summary>Compiles small models on the MAE-family backbones and reads their backbone stage.</summary>
internal static class MaeFrontEnd
{
    /// <summary>A segmentation model with this input and backbone, ending in select → reshape (tokens) or select (maps) → fcn.</summary>
    public static string Model(string input, string backbone, bool tokens = true) => $$"""
        model M : segmentation {
            input { {{input}} }
            backbone {{backbone}}
            neck select_indices { indices = [-1] }
            {{(tokens ? "neck reshape_tokens_to_image" : "")}}
            decoder fcn { channels = 16, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;

    public static FeatureShape BackboneOutput(string text) =>
        TestModels.Single(TestModels.Compile(text)).Trace.Stages.First(s => s.Kind == "backbone").Output;

    /// <summary>The errors of a model text, as "ID: message".</summary>
    public static IReadOnlyList<string> Errors(string text) =>
        TestModels.Compile(text).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + ": " + d.Message).ToList();

    public static BackboneDescriptor Backbone(string name) => ComponentCatalog.Default.FindBackbone(name)!;

    public static InputSpec Input(IEnumerable<string> bands, int height, int width, int frames = 1) =>
        new(bands.ToEquatableArray(), height, width, frames, EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    public static ArgumentList NoArguments => new(EquatableArray<Argument>.Empty);
}
