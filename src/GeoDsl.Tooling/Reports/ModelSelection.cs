using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Options;

namespace GeoDsl.Tooling.Reports;

/// <summary>Why a command could not get the one model it works on.</summary>
public enum ModelSelectionProblem
{
    None,

    /// <summary>The file is missing, declares no model, or several without <c>--model</c> naming one of them.</summary>
    Usage,

    /// <summary>The chosen model has errors; the messages are its diagnostics as <c>check</c> prints them.</summary>
    ModelErrors,
}

/// <summary>The one valid model a command works on, or what to tell the user instead.</summary>
public sealed class ModelSelection
{
    private ModelSelection(string path, ModelAnalysis? analysis, ModelSelectionProblem problem, IReadOnlyList<string> messages)
    {
        Path = path;
        Analysis = analysis;
        Problem = problem;
        Messages = messages;
    }

    public string Path { get; }

    /// <summary>The chosen model; null when <see cref="Problem"/> says why not.</summary>
    public ModelAnalysis? Analysis { get; }

    public ModelSelectionProblem Problem { get; }

    /// <summary>Lines to print on the error stream when there is a problem: the diagnostics, then what to do.</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>
    /// Compiles <paramref name="path"/> and picks <paramref name="modelName"/>, or the only model the file declares.
    /// <paramref name="purpose"/> ends the "fix them before …" line, e.g. "training".
    /// </summary>
    public static ModelSelection Choose(string path, string? modelName, string purpose, CompileOptions? options = null)
    {
        if (!File.Exists(path))
        {
            return Fail(path, ModelSelectionProblem.Usage, $"geodsl: '{path}' does not exist.");
        }

        var file = GeoModelCompiler.Compile(path, File.ReadAllText(path), options: options);
        var declared = file.Declarations.Select(d => d.Name).ToList();
        string? name = modelName ?? (declared.Count == 1 ? declared[0] : null);
        if (name is null || !declared.Contains(name))
        {
            if (declared.Count == 0)
            {
                var lines = file.Diagnostics.Select(d => d.ToCompilerString()).ToList();
                lines.Add($"geodsl: '{path}' declares no model.");
                return new ModelSelection(path, null, file.HasErrors ? ModelSelectionProblem.ModelErrors : ModelSelectionProblem.Usage, lines);
            }

            string unknown = modelName is null ? "" : $"'{modelName}' is not among them; ";
            return Fail(path, ModelSelectionProblem.Usage, $"geodsl: '{path}' declares {string.Join(", ", declared)}; {unknown}choose one with --model.");
        }

        var analysis = file.Models.FirstOrDefault(m => m.Spec.Name == name);
        if (analysis is null && file.VlmModels.Any(m => m.Spec.Name == name))
        {
            return Fail(path, ModelSelectionProblem.Usage,
                $"geodsl: {name} is a vlm model (vision encoder + projector + language model); {purpose} takes encoder-decoder models " +
                "(backbone → necks → decoder → head). 'geodsl describe' shows a vlm model's counts and memory.");
        }

        if (analysis is null)
        {
            var lines = file.DiagnosticsOf(file.Declarations.First(d => d.Name == name)).Select(d => d.ToCompilerString()).ToList();
            lines.Add($"geodsl: {name} has errors; fix them before {purpose}.");
            return new ModelSelection(path, null, ModelSelectionProblem.ModelErrors, lines);
        }

        return new ModelSelection(path, analysis, ModelSelectionProblem.None, new string[0]);
    }

    private static ModelSelection Fail(string path, ModelSelectionProblem problem, string message) =>
        new(path, null, problem, new[] { message });
}
