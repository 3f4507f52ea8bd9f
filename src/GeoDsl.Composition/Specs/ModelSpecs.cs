using System;
using System.Linq;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Composition.Specs;

/// <summary>Specs from canonical <c>.geomodel</c> text, for generated code and tools that carry a model as text.</summary>
public static class ModelSpecs
{
    /// <summary>Compiles text holding exactly one valid model.</summary>
    /// <exception cref="InvalidOperationException">The text does not compile: the message lists the diagnostics.</exception>
    /// <param name="options">Carries the custom components a generated model uses (see <see cref="Options.CompileOptions.CustomComponents"/>).</param>
    public static ModelAnalysis Analyze(string source, string origin = "<generated>", Options.CompileOptions? options = null)
    {
        var file = GeoModelCompiler.Compile(origin, source, options: options);
        var errors = file.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 || file.Models.Count != 1)
        {
            throw new InvalidOperationException(
                $"The model text from {origin} does not compile with this version of GeoDsl ({file.Models.Count} valid model(s)):\n" +
                string.Join("\n", errors.Select(e => e.ToCompilerString())) +
                "\nRebuild the project so the generated code matches the GeoDsl runtime it runs on.");
        }

        return file.Models[0];
    }

    public static ModelSpec Parse(string source, string origin = "<generated>") => Analyze(source, origin).Spec;
}
