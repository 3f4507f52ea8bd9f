using System.IO;
using GeoDsl.Cli.Commands;
using GeoDsl.Composition;
using GeoDsl.Runtime.Composition;
using GeoDsl.Tooling.Reports;

namespace GeoDsl.Cli.Running;

/// <summary>A valid model read from a <c>.geomodel</c> file, ready to be built as the generated class would build it.</summary>
internal sealed record LoadedModel(string Path, ModelAnalysis Analysis)
{
    /// <summary>The runtime composition generated classes derive from: the same modules, state-dict names and shapes.</summary>
    public GeoModel Build() => new(Analysis.Spec);
}

/// <summary>How <c>train</c> and <c>predict</c> turn a file into a model, without writing C#.</summary>
internal static class ModelLoader
{
    /// <summary>The model, or null after printing the diagnostics (as <c>check</c> prints them) and setting the exit code.</summary>
    public static LoadedModel? TryLoad(string path, string? modelName, string purpose, TextWriter error, out int exitCode)
    {
        var selection = ModelSelection.Choose(path, modelName, purpose);
        exitCode = CommandOutput.ExitCode(selection);
        return CommandOutput.Report(selection, error, out var analysis) ? new LoadedModel(path, analysis) : null;
    }
}
