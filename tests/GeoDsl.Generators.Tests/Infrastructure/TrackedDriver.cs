using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Generators.Tests.Infrastructure;

/// <summary>
/// A generator driver with step tracking, and the compilation and <c>.geomodel</c> files it last ran on. Edits
/// return a new driver that has run again, so each test reads the run reasons of exactly one re-run.
/// </summary>
internal sealed class TrackedDriver
{
    private readonly GeneratorDriver _driver;

    public TrackedDriver(GeneratorDriver driver, Compilation compilation, IReadOnlyList<AdditionalText> files)
    {
        _driver = driver;
        Compilation = compilation;
        Files = files;
    }

    public Compilation Compilation { get; }

    public IReadOnlyList<AdditionalText> Files { get; }

    public GeneratorRunResult Result => _driver.GetRunResult().Results.Single();

    /// <summary>Runs the generator on the current compilation.</summary>
    public TrackedDriver Run() => new(_driver.RunGenerators(Compilation), Compilation, Files);

    /// <summary>Runs again on a compilation the caller changed (or on the very same one).</summary>
    public TrackedDriver RunOn(Compilation compilation) => new(_driver.RunGenerators(compilation), compilation, Files);

    /// <summary>Replaces one file's text, as an edit in the editor does, and runs again.</summary>
    public TrackedDriver Edit(string fileName, Func<string, string> edit)
    {
        var old = Files.Single(f => Path.GetFileName(f.Path) == fileName);
        string before = old.GetText()!.ToString();
        string after = edit(before);
        Assert.False(before == after, $"The edit left {fileName} unchanged.");
        var replacement = new InMemoryAdditionalText(old.Path, after);
        var files = Files.Select(f => f == old ? replacement : f).ToList();
        return new TrackedDriver(_driver.ReplaceAdditionalText(old, replacement).RunGenerators(Compilation), Compilation, files);
    }

    /// <summary>Every named step of the last run, output by output, with the file each output belongs to.</summary>
    public IReadOnlyList<StepOutput> Outputs(string step) =>
        Result.TrackedSteps.TryGetValue(step, out var runs) ? StepOutput.From(step, runs) : Array.Empty<StepOutput>();

    /// <summary>Every output step (the <c>AddSource</c> calls), output by output.</summary>
    public IReadOnlyList<StepOutput> SourceOutputs() =>
        Result.TrackedOutputSteps.SelectMany(pair => StepOutput.From(pair.Key, pair.Value)).ToList();

    public ImmutableDictionary<string, string> GeneratedSources =>
        Result.GeneratedSources.ToImmutableDictionary(s => s.HintName, s => s.SourceText.ToString());
}

/// <summary>One output of one tracked step: its value, why it was (or was not) recomputed, and its file.</summary>
internal sealed record StepOutput(string Step, object Value, IncrementalStepRunReason Reason, string? File)
{
    public static IReadOnlyList<StepOutput> From(string step, ImmutableArray<IncrementalGeneratorRunStep> runs) => runs
        .SelectMany(run => run.Outputs.Select((output, i) => new StepOutput(step, output.Value, output.Reason, FileOf(run, i))))
        .ToList();

    /// <summary>
    /// The <c>.geomodel</c> or C# file an output comes from: read from the value where it names its file, else traced
    /// back through the step's inputs.
    /// </summary>
    private static string? FileOf(IncrementalGeneratorRunStep run, int index)
    {
        if (Identify(run.Outputs[index].Value) is { } file)
        {
            return file;
        }

        foreach (var (source, outputIndex) in run.Inputs)
        {
            if (FileOf(source, outputIndex) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? Identify(object value) => value switch
    {
        ValueTuple<string, string> file => Path.GetFileName(file.Item1),
        Composition.FileAnalysis analysis => Path.GetFileName(analysis.Path),
        Model.GenerationTarget target => target.Origin,
        _ => null,
    };

    public override string ToString() => $"{Step} [{File ?? "?"}]: {Reason}";
}
