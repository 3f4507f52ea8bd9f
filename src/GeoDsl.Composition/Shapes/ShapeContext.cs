using System;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Shapes;

/// <summary>
/// What a component's shape rule may see and report to: the model input, the stage before it, and a
/// reporter that places diagnostics on the component (or one of its arguments) in the source.
/// </summary>
public sealed class ShapeContext
{
    private readonly Action<DiagnosticDescriptor, string?, string[]> _report;

    public ShapeContext(InputSpec input, ModelTask task, string previousStage, Action<DiagnosticDescriptor, string?, string[]> report)
    {
        Input = input;
        Task = task;
        PreviousStage = previousStage;
        _report = report;
    }

    public InputSpec Input { get; }

    public ModelTask Task { get; }

    /// <summary>"backbone 'prithvi_eo_v2_300'", for "… receives X from {PreviousStage}".</summary>
    public string PreviousStage { get; }

    public bool ReportedErrors { get; private set; }

    /// <summary>Reports on the component as a whole (its name in the source).</summary>
    public void Report(DiagnosticDescriptor descriptor, params string[] arguments) => ReportAt(null, descriptor, arguments);

    /// <summary>Reports on one argument's value, or on the component when it was not written.</summary>
    public void ReportAt(string? argument, DiagnosticDescriptor descriptor, params string[] arguments)
    {
        ReportedErrors |= descriptor.Severity == DiagnosticSeverity.Error;
        _report(descriptor, argument, arguments);
    }
}
