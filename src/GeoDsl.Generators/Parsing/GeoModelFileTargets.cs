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

    /// <summary>
    /// The file's models with errors: each gets a placeholder class, so code that uses the model fails on a message
    /// naming the errors (the command-line compiler runs no analyzer once the code itself has errors).
    /// </summary>
    public static EquatableArray<BrokenModelTarget> BrokenFrom(FileAnalysis file, string? rootNamespace)
    {
        string origin = System.IO.Path.GetFileName(file.Path);
        var valid = file.Models.Select(m => m.Spec.Name).Concat(file.VlmModels.Select(m => m.Spec.Name)).ToList();
        return file.Declarations
            .Where(declaration => declaration.HasName && !valid.Contains(declaration.Name))
            .Select(declaration => new BrokenModelTarget(
                declaration.Namespace ?? NullIfEmpty(rootNamespace),
                declaration.Name,
                origin,
                file.DiagnosticsOf(declaration).Where(d => d.Severity == Composition.Diagnostics.DiagnosticSeverity.Error)
                    .Select(d => $"{d.Id} at {d.Location.Start}: {d.Message}").ToEquatableArray(),
                file.Path))
            .Where(target => target.Errors.Count > 0)
            .ToEquatableArray();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
