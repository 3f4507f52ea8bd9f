using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;

namespace GeoDsl.Composition.Vlm;

/// <summary>One part of a vlm model as tools show it: its path (vision, projector, language_model), component, output and count.</summary>
public sealed record VlmStage(string Path, string Name, string Output, long Parameters, string Training);

/// <summary>A way to fine-tune the model, with its estimated device total on the target and whether that fits.</summary>
/// <param name="Mode">"LoRA on the language model", …</param>
/// <param name="Train">The train settings that select it, as written in <c>train { }</c>.</param>
/// <param name="Breakdown">The mode's allocated training peak by term (weights, gradients, activations, logits, …).</param>
public sealed record FineTuningOption(string Mode, string Train, long TrainableParameters, long DeviceBytes, bool Fits, EquatableArray<MemoryItem> Breakdown);

/// <summary>Everything the front end knows about one valid vlm model.</summary>
/// <param name="VisualTokensPerTile">Tokens one tile becomes in the language model's sequence (0 without vision).</param>
/// <param name="VisualTokensPerSample">All tiles of all images of one sample.</param>
/// <param name="Options">Each fine-tuning mode with the model's other settings, against its target.</param>
public sealed record VlmAnalysis(
    VlmSpec Spec,
    EquatableArray<VlmStage> Stages,
    int VisualTokensPerTile,
    int VisualTokensPerSample,
    ParameterSummary Parameters,
    MemoryEstimate Memory,
    EquatableArray<FineTuningOption> Options);

/// <summary>Binds, checks and estimates a <c>model X : vlm { … }</c> declaration: the vlm counterpart of <see cref="GeoModelCompiler.Analyze"/>.</summary>
public static class VlmCompiler
{
    public static VlmAnalysis? Analyze(ModelSyntax model, string? ns, DiagnosticSink diagnostics, ComponentCatalog catalog, CompileOptions? options = null)
    {
        options ??= CompileOptions.Default;
        int before = diagnostics.Count;
        var bound = new VlmBinder(catalog, diagnostics, options).Bind(model, ns);
        if (bound.Spec is not { } spec || VlmParts.Resolve(spec, catalog, bound.Locations, diagnostics) is not { } parts
            || diagnostics.Since(before).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return null;
        }

        var (parameters, memory) = LlmMemoryEstimator.Estimate(spec, parts);
        var fineTuning = Options(spec, parts);
        Budget(spec, memory, fineTuning, options, bound.Locations, diagnostics);
        int perTile = parts.Projector?.TokensPerTile ?? 0;
        int perSample = spec.Vision is null ? 0 : perTile * spec.Images.TilesPerImage * spec.Images.ImagesPerSample;
        return new VlmAnalysis(spec, Stages(spec, parts, perTile, perSample).ToEquatableArray(), perTile, perSample, parameters, memory, fineTuning.ToEquatableArray());
    }

    private static IEnumerable<VlmStage> Stages(VlmSpec spec, VlmParts parts, int perTile, int perSample)
    {
        var train = spec.Train;
        if (parts.Vision is { } vision && parts.Projector is { } projector && spec.Projector is { } projectorSpec)
        {
            int tiles = spec.Images.TilesPerImage * spec.Images.ImagesPerSample;
            yield return new VlmStage("vision", vision.Name, $"{tiles} tiles × {vision.Tokens}×{vision.Width}", vision.Parameters, train.VisionTraining.Describe());
            yield return new VlmStage("projector", projectorSpec.Name, $"{tiles} tiles × {perTile}×{projector.OutFeatures} ({perSample} visual tokens)", projector.Parameters, train.ProjectorTraining.Describe());
        }

        var lm = parts.LanguageModelParameters;
        yield return new VlmStage("language_model", parts.LanguageModel.Name, $"B×{spec.ContextLength}×{parts.LanguageModel.Vocab} logits", lm.Total, train.LanguageModelTraining.Describe());
    }

    /// <summary>The usual ways to fine-tune a VLM on one GPU, each estimated with the model's batch, context and settings.</summary>
    public static IReadOnlyList<FineTuningOption> Options(VlmSpec spec, VlmParts parts)
    {
        var train = spec.Train;
        int rank = train.LanguageModelTraining.Lora?.Rank ?? 16;
        var r = new Argument("r", new IntValue(rank));
        var alpha = new Argument("lora_alpha", new FloatValue(2.0 * rank));
        var lora = new ObjectValue("lora", EquatableArray.Create(r, alpha));
        var qlora = new ObjectValue("qlora", EquatableArray.Create(r, alpha));
        var frozen = new ObjectValue("frozen", EquatableArray<Argument>.Empty);
        var full = new ObjectValue("full", EquatableArray<Argument>.Empty);
        var modes = new List<(string Mode, ObjectValue Vision, ObjectValue Projector, ObjectValue Language)>();
        if (spec.Vision is not null)
        {
            modes.Add(("full fine-tune", full, full, full));
        }

        modes.Add(("full language model" + (spec.Vision is null ? string.Empty : ", frozen vision"), frozen, full, full));
        modes.Add(($"LoRA r={rank} on the language model", frozen, full, lora));
        modes.Add(($"QLoRA r={rank} on the language model", frozen, full, qlora));
        if (spec.Vision is not null)
        {
            modes.Add(($"QLoRA r={rank} on both towers", qlora, full, qlora));
            modes.Add(("projector only", frozen, full, frozen));
        }

        var options = new List<FineTuningOption>();
        foreach (var (mode, vision, projector, language) in modes)
        {
            var variant = spec with { Train = train with { Vision = Filled(vision, "vision"), Projector = Filled(projector, "projector"), LanguageModel = Filled(language, "language_model") } };
            var (parameters, memory) = LlmMemoryEstimator.Estimate(variant, parts);
            string written = spec.Vision is null
                ? $"language_model = {variant.Train.LanguageModelTraining.Describe()}"
                : $"vision = {variant.Train.VisionTraining.Describe()}, projector = {variant.Train.ProjectorTraining.Describe()}, language_model = {variant.Train.LanguageModelTraining.Describe()}";
            options.Add(new FineTuningOption(mode, written, parameters.Trainable, memory.TrainingDeviceBytes, memory.Fits, memory.TrainingBreakdown));
        }

        return options;
    }

    /// <summary>A mode with every argument its declaration defaults, as the binder would have filled it.</summary>
    private static ObjectValue Filled(ObjectValue value, string part)
    {
        var type = (ObjectType)VlmSections.Train.First(p => p.Name == part).Type;
        var declared = type.Find(value.Name)!;
        var given = value.Arguments.ToDictionary(a => a.Name, a => a.Value);
        return new ObjectValue(value.Name, declared.Parameters.Select(p => new Argument(p.Name, given.TryGetValue(p.Name, out var v) ? v : p.Default!)).ToEquatableArray());
    }

    /// <summary>GEO2001 / GEO2002 for a vlm model, with the fine-tuning modes that fit as the advice.</summary>
    private static void Budget(VlmSpec spec, MemoryEstimate memory, IReadOnlyList<FineTuningOption> options, CompileOptions settings, SpecLocations locations, DiagnosticSink diagnostics)
    {
        var at = locations.Find("target");
        var fitting = options.Where(o => o.Fits).OrderBy(o => o.DeviceBytes).ToList();
        string advice = fitting.Count == 0
            ? "No fine-tuning mode fits at this batch and context_length; shorten context_length, set gradient_checkpointing = true, or target a card with more memory."
            : "These fit: " + string.Join("; ", fitting.Select(o => $"{o.Train} ({MemoryEstimate.Format(o.DeviceBytes)})")) + ".";
        if (!memory.Fits)
        {
            if (CompileOptions.ToSeverity(settings.OverBudget) is { } severity)
            {
                diagnostics.Report(DiagnosticDescriptors.TrainingMemoryExceedsBudget with { Severity = severity }, at, spec.Name, MemoryEstimate.Format(memory.TrainingDeviceBytes),
                    MemoryEstimate.Format(memory.TrainingPeakBytes), memory.DescribeTraining(), MemoryEstimate.Format(memory.BudgetBytes), memory.GpuDisplayName, advice);
            }
        }
        else if (memory.IsNearBudget(settings.NearBudgetFraction) && CompileOptions.ToSeverity(settings.NearBudget) is { } severity)
        {
            diagnostics.Report(DiagnosticDescriptors.TrainingMemoryNearBudget with { Severity = severity }, at, spec.Name, MemoryEstimate.Format(memory.TrainingDeviceBytes),
                MemoryEstimate.Format(memory.TrainingPeakBytes), memory.DescribeTraining(),
                MemoryBudget.Percent((double)memory.TrainingDeviceBytes / memory.BudgetBytes),
                MemoryEstimate.Format(memory.BudgetBytes), memory.GpuDisplayName, MemoryBudget.Percent(settings.NearBudgetFraction), advice);
        }
    }
}
