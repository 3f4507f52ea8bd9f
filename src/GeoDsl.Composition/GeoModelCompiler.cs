using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition;

/// <summary>Learnable parameters of a model, and how many of them train.</summary>
/// <param name="Total">Every learnable parameter, LoRA adapters included.</param>
/// <param name="Trainable">Those that get gradients: not in frozen stages, not LoRA's frozen base.</param>
public sealed record ParameterSummary(long Total, long Trainable)
{
    /// <summary>Without LoRA: the stages' parameters, less those of frozen stages.</summary>
    public static ParameterSummary Of(InferredShapes shapes, TrainSpec train)
    {
        long total = shapes.Stages.Sum(s => s.Trace.Parameters);
        long frozen = shapes.Stages.Where(s => train.FreezesWeightsOf(s.Path)).Sum(s => s.Trace.Parameters);
        return new ParameterSummary(total, total - frozen);
    }

    /// <summary>With LoRA's adapters counted from the backbone's linear layers (they add to the total and all train).</summary>
    public static ParameterSummary Of(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog)
    {
        var stages = Of(shapes, spec.Train);
        long adapters = MemoryEstimator.Lora(spec, shapes, catalog)?.AdapterParameters ?? 0;
        return new ParameterSummary(stages.Total + adapters, stages.Trainable + adapters);
    }
}

/// <summary>Everything the front end knows about one valid model.</summary>
public sealed record ModelAnalysis(ModelSpec Spec, ShapeTrace Trace, ParameterSummary Parameters, MemoryEstimate Memory);

/// <summary>Where a model is declared in its file: its name and the span of the whole declaration.</summary>
public sealed record ModelDeclaration(string Name, TextSpan Span)
{
    /// <summary>The file's namespace (<c>namespace X</c> at its top), or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>False for a model whose name is missing (reported as "(unnamed)").</summary>
    public bool HasName { get; init; } = true;
}

/// <summary>One source file: its valid models (a model with errors is left out), every declaration and every diagnostic.</summary>
public sealed record FileAnalysis(string Path, EquatableArray<ModelAnalysis> Models, EquatableArray<GeoDiagnostic> Diagnostics)
{
    /// <summary>The valid vision-language models (<c>model X : vlm</c>), which have no backbone → decoder chain.</summary>
    public EquatableArray<Vlm.VlmAnalysis> VlmModels { get; init; } = EquatableArray<Vlm.VlmAnalysis>.Empty;

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
    /// <param name="catalog">The components to bind against; the built-in catalog and the options' custom components when null.</param>
    /// <param name="options">The project's settings (default GPU, budget severities); <see cref="CompileOptions.Default"/> when null.</param>
    /// <remarks>
    /// With the built-in catalog, a text compiled before at the same path under equal options comes from
    /// <see cref="RecentFileAnalyses"/> (the analyzers run on the files the generator has just compiled).
    /// </remarks>
    public static FileAnalysis Compile(string path, string text, ComponentCatalog? catalog = null, CompileOptions? options = null) =>
        catalog is null
            ? RecentFileAnalyses.GetOrCompile(path, text, options ?? CompileOptions.Default, () => CompileFile(path, text, null, options))
            : CompileFile(path, text, catalog, options);

    private static FileAnalysis CompileFile(string path, string text, ComponentCatalog? catalog, CompileOptions? options)
    {
        var source = new SourceText(text);
        var diagnostics = new DiagnosticSink(path, source);
        var models = new List<ModelAnalysis>();
        var vlmModels = new List<Vlm.VlmAnalysis>();
        var declarations = new List<ModelDeclaration>();
        try
        {
            var file = Parser.ParseFile(source, diagnostics);
            declarations.AddRange(file.Models.Select(m => new ModelDeclaration(m.Name.IsMissing ? "(unnamed)" : m.Name.Text, m.Span)
            {
                Namespace = file.Namespace?.Name,
                HasName = !m.Name.IsMissing,
            }));
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
                var componentCatalog = catalog ?? Catalog.Custom.CustomComponents.Catalog((options ?? CompileOptions.Default).CustomComponents);
                if (model.KindToken is { IsMissing: false } kind && kind.Text == VlmSections.Kind)
                {
                    if (Vlm.VlmCompiler.Analyze(model, file.Namespace?.Name, diagnostics, componentCatalog, options) is { } vlm)
                    {
                        vlmModels.Add(vlm);
                    }

                    continue;
                }

                if (Analyze(model, file.Namespace?.Name, diagnostics, componentCatalog, options) is { } analysis)
                {
                    models.Add(analysis);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Report(DiagnosticDescriptors.InternalError, new TextSpan(0, 0), e.GetType().Name + ": " + e.Message);
            models.Clear();
            vlmModels.Clear();
        }

        // In file order, as a compiler lists them (binding visits sections in its own order).
        var ordered = diagnostics.Diagnostics.Select((d, i) => (d, i)).OrderBy(p => p.d.Location.Span.Start).ThenBy(p => p.i).Select(p => p.d);
        return new FileAnalysis(path, models.ToEquatableArray(), ordered.ToEquatableArray()) { Declarations = declarations.ToEquatableArray(), VlmModels = vlmModels.ToEquatableArray() };
    }

    /// <summary>Binds and checks one model; null when it has errors (they are in <paramref name="diagnostics"/>).</summary>
    public static ModelAnalysis? Analyze(ModelSyntax model, string? ns, DiagnosticSink diagnostics, ComponentCatalog catalog, CompileOptions? options = null)
    {
        options ??= CompileOptions.Default;
        int before = diagnostics.Count;
        var bound = new ModelBinder(catalog, diagnostics, options).Bind(model, ns);
        if (bound.Spec is not { } spec)
        {
            return null;
        }

        var shapes = new ShapeInference(catalog).Infer(spec, bound.Locations, diagnostics);
        if (!shapes.Complete || diagnostics.Since(before).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return null;
        }

        var parameters = ParameterSummary.Of(spec, shapes, catalog);
        var memory = MemoryEstimator.Estimate(spec, shapes, catalog);
        MemoryBudget.Report(spec, shapes, memory, catalog, options, bound.Locations, diagnostics);
        return new ModelAnalysis(spec, shapes.Trace, parameters, memory);
    }
}
