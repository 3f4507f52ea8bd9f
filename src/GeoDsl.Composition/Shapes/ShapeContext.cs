using System;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Shapes;

/// <summary>
/// What a component's shape rule may see and report to: the model input, the stage before it, and a
/// reporter that places diagnostics on the component (or one of its arguments) in the source.
/// </summary>
public sealed class ShapeContext
{
    private readonly Action<DiagnosticDescriptor, string?, EquatableArray<DiagnosticProperty>, string[]> _report;

    public ShapeContext(InputSpec input, ModelTask task, string previousStage, Action<DiagnosticDescriptor, string?, string[]> report)
        : this(input, task, previousStage, (descriptor, argument, _, arguments) => report(descriptor, argument, arguments))
    {
    }

    /// <param name="report">Also receives the data a code fix needs (<see cref="ReportWithFix"/>).</param>
    public ShapeContext(InputSpec input, ModelTask task, string previousStage, Action<DiagnosticDescriptor, string?, EquatableArray<DiagnosticProperty>, string[]> report)
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
    public void ReportAt(string? argument, DiagnosticDescriptor descriptor, params string[] arguments) =>
        ReportWithFix(argument, descriptor, EquatableArray<DiagnosticProperty>.Empty, arguments);

    /// <summary>As <see cref="ReportAt"/>, with what a code fix needs (<see cref="DiagnosticProperties"/>).</summary>
    public void ReportWithFix(string? argument, DiagnosticDescriptor descriptor, EquatableArray<DiagnosticProperty> properties, params string[] arguments)
    {
        ReportedErrors |= descriptor.Severity == DiagnosticSeverity.Error;
        _report(descriptor, argument, properties, arguments);
    }
}
