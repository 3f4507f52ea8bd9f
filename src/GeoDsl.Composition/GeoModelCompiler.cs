using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition;

/// <summary>Learnable parameters of a model, and how many of them train.</summary>
public sealed record ParameterSummary(long Total, long Trainable)
{
    public static ParameterSummary Of(InferredShapes shapes, TrainSpec train)
    {
        long total = shapes.Stages.Sum(s => s.Trace.Parameters);
        long frozen = shapes.Stages.Where(s => train.Freezes(s.Path)).Sum(s => s.Trace.Parameters);
        return new ParameterSummary(total, total - frozen);
    }
}

/// <summary>Everything the front end knows about one valid model.</summary>
public sealed record ModelAnalysis(ModelSpec Spec, ShapeTrace Trace, ParameterSummary Parameters, MemoryEstimate Memory);

/// <summary>Where a model is declared in its file: its name and the span of the whole declaration.</summary>
public sealed record ModelDeclaration(string Name, TextSpan Span);

/// <summary>One source file: its valid models (a model with errors is left out), every declaration and every diagnostic.</summary>
public sealed record FileAnalysis(string Path, EquatableArray<ModelAnalysis> Models, EquatableArray<GeoDiagnostic> Diagnostics)
{
    /// <summary>Every model declared, valid or not, in file order.</summary>
    public EquatableArray<ModelDeclaration> Declarations { get; init; } = EquatableArray<ModelDeclaration>.Empty;

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The diagnostics inside one declaration.</summary>
    public IEnumerable<GeoDiagnostic> DiagnosticsOf(ModelDeclaration declaration) =>
        Diagnostics.Where(d => d.Location.Span.Start >= declaration.Span.Start && d.Location.Span.Start <= declaration.Span.End);
}

/// <summary>
/// The front end's single entry point: text in, specs, traces, counts, memory and diagnostics out. The generator,
/// the analyzers, the CLI and the MSBuild tasks all call this, so a rule lives in exactly one place. It never
/// throws on user input: an unexpected failure becomes GEO9001 on the file.
/// </summary>
public static class GeoModelCompiler
{
    public static FileAnalysis Compile(string path, string text, ComponentCatalog? catalog = null)
    {
        var source = new SourceText(text);
        var diagnostics = new DiagnosticSink(path, source);
        var models = new List<ModelAnalysis>();
        var declarations = new List<ModelDeclaration>();
        try
        {
            var file = Parser.ParseFile(source, diagnostics);
            declarations.AddRange(file.Models.Select(m => new ModelDeclaration(m.Name.IsMissing ? "(unnamed)" : m.Name.Text, m.Span)));
            var seen = new Dictionary<string, ModelSyntax>();
            foreach (var model in file.Models)
            {
                if (!model.Name.IsMissing && seen.TryGetValue(model.Name.Text, out var first))
                {
                    diagnostics.Report(DiagnosticDescriptors.DuplicateModel, model.Name.Span, model.Name.Text,
                        SourceLocation.In(path, source, first.Name.Span).ToString());
                    continue;
                }

                seen[model.Name.Text] = model;
                if (Analyze(model, file.Namespace?.Name, diagnostics, catalog ?? ComponentCatalog.Default) is { } analysis)
                {
                    models.Add(analysis);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Report(DiagnosticDescriptors.InternalError, new TextSpan(0, 0), e.GetType().Name + ": " + e.Message);
            models.Clear();
        }

        // In file order, as a compiler lists them (binding visits sections in its own order).
        var ordered = diagnostics.Diagnostics.Select((d, i) => (d, i)).OrderBy(p => p.d.Location.Span.Start).ThenBy(p => p.i).Select(p => p.d);
        return new FileAnalysis(path, models.ToEquatableArray(), ordered.ToEquatableArray()) { Declarations = declarations.ToEquatableArray() };
    }

    /// <summary>Binds and checks one model; null when it has errors (they are in <paramref name="diagnostics"/>).</summary>
    public static ModelAnalysis? Analyze(ModelSyntax model, string? ns, DiagnosticSink diagnostics, ComponentCatalog catalog)
    {
        int before = diagnostics.Count;
        var bound = new ModelBinder(catalog, diagnostics).Bind(model, ns);
        if (bound.Spec is not { } spec)
        {
            return null;
        }

        var shapes = new ShapeInference(catalog).Infer(spec, bound.Locations, diagnostics);
        if (!shapes.Complete || diagnostics.Since(before).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return null;
        }

        var parameters = ParameterSummary.Of(shapes, spec.Train);
        var memory = MemoryEstimator.Estimate(spec, shapes, catalog);
        if (!memory.Fits)
        {
            ReportOverBudget(spec, shapes, memory, catalog, bound.Locations, diagnostics);
        }

        return new ModelAnalysis(spec, shapes.Trace, parameters, memory);
    }

    private static void ReportOverBudget(ModelSpec spec, InferredShapes shapes, MemoryEstimate memory, ComponentCatalog catalog, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var advice = new List<string>();
        int fitting = LargestFittingBatch(spec, shapes, catalog);
        if (fitting >= 1 && fitting < spec.Train.BatchSize)
        {
            advice.Add($"'batch_size = {fitting.ToString(CultureInfo.InvariantCulture)}' fits");
        }

        if (spec.Train.Precision == Precision.Fp32)
        {
            advice.Add("'precision = bf16_mixed' saves activation memory");
        }

        if (!spec.Train.GradientCheckpointing)
        {
            advice.Add("'gradient_checkpointing = true' keeps only each block's input");
        }

        if (!spec.Train.FreezeBackbone)
        {
            advice.Add("'freeze_backbone = true' drops the backbone's gradients and optimizer states");
        }

        var at = locations.Find("target");
        diagnostics.Report(DiagnosticDescriptors.TrainingMemoryExceedsBudget, at, spec.Name, MemoryEstimate.Format(memory.TrainingDeviceBytes),
            MemoryEstimate.Format(memory.TrainingPeakBytes), memory.DescribeTraining(), MemoryEstimate.Format(memory.BudgetBytes), memory.GpuDisplayName,
            advice.Count == 0 ? "Choose a larger GPU with 'target'." : "Options: " + string.Join("; ", advice) + ".");
    }

    private static int LargestFittingBatch(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog)
    {
        for (int batch = spec.Train.BatchSize - 1; batch >= 1; batch = batch > 8 ? batch * 3 / 4 : batch - 1)
        {
            var smaller = spec with { Train = spec.Train with { BatchSize = batch } };
            if (MemoryEstimator.Estimate(smaller, shapes, catalog).Fits)
            {
                return batch;
            }
        }

        return 0;
    }
}
