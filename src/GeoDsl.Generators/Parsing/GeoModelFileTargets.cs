using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Helpers;
using GeoDsl.Generators.Model;

namespace GeoDsl.Generators.Parsing;

/// <summary>The generation targets of one <c>.geomodel</c> file: each valid model, in the file's namespace or the project's.</summary>
internal static class GeoModelFileTargets
{
    public static EquatableArray<GenerationTarget> From(FileAnalysis file, string? rootNamespace)
    {
        string origin = System.IO.Path.GetFileName(file.Path);
        return file.Models
            .Select(model => new GenerationTarget(
                model.Spec.Namespace ?? NullIfEmpty(rootNamespace),
                model.Spec.Name,
                "public",
                origin,
                model,
                IsAttributed: false,
                file.Path))
            .ToEquatableArray();
    }

    /// <summary>The file's valid vlm models, in the file's namespace or the project's.</summary>
    public static EquatableArray<VlmGenerationTarget> VlmFrom(FileAnalysis file, string? rootNamespace)
    {
        string origin = System.IO.Path.GetFileName(file.Path);
        return file.VlmModels
            .Select(model => new VlmGenerationTarget(model.Spec.Namespace ?? NullIfEmpty(rootNamespace), model.Spec.Name, origin, model, file.Path))
            .ToEquatableArray();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
