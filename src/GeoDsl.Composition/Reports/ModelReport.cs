using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;

namespace GeoDsl.Composition.Reports;

// The documents tools read (geodsl describe/check --json, the build's model report). Field names are an interface:
// extend freely, never rename (docs/cli-json.md).

public sealed record StageReport(string Name, string Kind, IReadOnlyList<string> Outputs, long Parameters);

public sealed record ParametersReport(long Total, long Trainable);

public sealed record MemoryItemReport(string Name, long Bytes);

public sealed record MemoryReport(
    string Gpu,
    string GpuName,
    long BudgetBytes,
    long TrainingPeakBytes,
    long TrainingDeviceBytes,
    long InferencePeakBytes,
    long InferenceDeviceBytes,
    bool Fits,
    IReadOnlyList<MemoryItemReport> Breakdown,
    IReadOnlyList<MemoryItemReport> InferenceBreakdown);

public sealed record DiagnosticReport(string Id, string Severity, string File, int Line, int Column, int EndLine, int EndColumn, string Message, string HelpLink);

public sealed record InputReport(IReadOnlyList<string> Bands, int Height, int Width, int Frames);

/// <summary>One model as tools see it; <see cref="Stages"/>, <see cref="Parameters"/> and <see cref="Memory"/> are empty or null when the model has errors.</summary>
public sealed record ModelReport(
    string Model,
    string File,
    string? Task,
    InputReport? Input,
    IReadOnlyList<StageReport> Stages,
    ParametersReport? Parameters,
    MemoryReport? Memory,
    IReadOnlyList<DiagnosticReport> Diagnostics)
{
    /// <summary>vlm models: the visual tokens of one tile and of one sample, and every fine-tuning mode against the target.</summary>
    public VlmReport? Vlm { get; init; }
}

/// <param name="Breakdown">The mode's allocated training peak by term, as <see cref="MemoryReport"/>'s breakdown.</param>
public sealed record FineTuningReport(string Mode, string Train, long TrainableParameters, long DeviceBytes, bool Fits, IReadOnlyList<MemoryItemReport> Breakdown)
{
    /// <summary>Whether the mode fits a card other than the target: its device total against the card's memory, as <see cref="Memory.MemoryEstimate.Fits"/>.</summary>
    public bool FitsOn(Catalog.Gpu gpu) => DeviceBytes <= gpu.MemoryBytes;
}

public sealed record VlmReport(int VisualTokensPerTile, int VisualTokensPerSample, int ContextLength, IReadOnlyList<FineTuningReport> FineTuning);

/// <summary>Every file and model of a <c>check</c> run.</summary>
public sealed record CheckReport(int Errors, int Warnings, IReadOnlyList<ModelReport> Models, IReadOnlyList<DiagnosticReport> Diagnostics);

public static class Reporting
{
    public static ModelReport Model(ModelAnalysis analysis, string file, IEnumerable<GeoDiagnostic> diagnostics)
    {
        var spec = analysis.Spec;
        var memory = analysis.Memory;
        return new ModelReport(
            spec.Name,
            file,
            spec.Task.ToString().ToLowerInvariant(),
            new InputReport(spec.Input.Bands.ToList(), spec.Input.Height, spec.Input.Width, spec.Input.Frames),
            analysis.Trace.Stages.Select(s => new StageReport(s.Name, s.Kind, s.Output.Tensors.Select(t => t.ToString()).ToList(), s.Parameters)).ToList(),
            new ParametersReport(analysis.Parameters.Total, analysis.Parameters.Trainable),
            new MemoryReport(memory.Gpu, memory.GpuDisplayName, memory.BudgetBytes, memory.TrainingPeakBytes, memory.TrainingDeviceBytes,
                memory.InferencePeakBytes, memory.InferenceDeviceBytes, memory.Fits,
                memory.TrainingBreakdown.Select(Item).ToList(), memory.InferenceBreakdown.Select(Item).ToList()),
            diagnostics.Select(Diagnostic).ToList());
    }

    /// <summary>A vlm model: its parts as stages (kind = vision, projector, language_model), counts, memory and the fine-tuning modes.</summary>
    public static ModelReport Vlm(Vlm.VlmAnalysis analysis, string file, IEnumerable<GeoDiagnostic> diagnostics)
    {
        var memory = analysis.Memory;
        return new ModelReport(
            analysis.Spec.Name,
            file,
            Catalog.VlmSections.Kind,
            null,
            analysis.Stages.Select(s => new StageReport(s.Name, s.Path, new[] { s.Output }, s.Parameters)).ToList(),
            new ParametersReport(analysis.Parameters.Total, analysis.Parameters.Trainable),
            new MemoryReport(memory.Gpu, memory.GpuDisplayName, memory.BudgetBytes, memory.TrainingPeakBytes, memory.TrainingDeviceBytes,
                memory.InferencePeakBytes, memory.InferenceDeviceBytes, memory.Fits,
                memory.TrainingBreakdown.Select(Item).ToList(), memory.InferenceBreakdown.Select(Item).ToList()),
            diagnostics.Select(Diagnostic).ToList())
        {
            Vlm = new VlmReport(analysis.VisualTokensPerTile, analysis.VisualTokensPerSample, analysis.Spec.ContextLength,
                analysis.Options.Select(o => new FineTuningReport(o.Mode, o.Train, o.TrainableParameters, o.DeviceBytes, o.Fits, o.Breakdown.Select(Item).ToList())).ToList()),
        };
    }

    /// <summary>A model whose declaration has errors: its name and the diagnostics, nothing derived.</summary>
    public static ModelReport Invalid(string model, string file, IEnumerable<GeoDiagnostic> diagnostics) =>
        new(model, file, null, null, new List<StageReport>(), null, null, diagnostics.Select(Diagnostic).ToList());

    public static DiagnosticReport Diagnostic(GeoDiagnostic d) => new(
        d.Id,
        d.Severity.ToString().ToLowerInvariant(),
        d.Location.FilePath,
        d.Location.Start.Line + 1,
        d.Location.Start.Character + 1,
        d.Location.End.Line + 1,
        d.Location.End.Character + 1,
        d.Message,
        d.Descriptor.HelpLink);

    private static MemoryItemReport Item(MemoryItem item) => new(item.Name, item.Bytes);
}
