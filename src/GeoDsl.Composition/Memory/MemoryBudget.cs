using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Binding;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Compares a model's training estimate with its budget: over it is GEO2001 (an error unless the project says
/// otherwise), within the margin below it GEO2002 (a warning). Both messages carry the breakdown and every change that
/// would make the model fit, each with the device total it would give — the largest batch, gradient checkpointing,
/// bf16, fused attention, freezing the backbone, LoRA — so the user can pick one without trying them.
/// </summary>
public static class MemoryBudget
{
    public static void Report(ModelSpec spec, InferredShapes shapes, MemoryEstimate memory, ComponentCatalog catalog, CompileOptions options,
        SpecLocations locations, DiagnosticSink diagnostics)
    {
        var at = locations.Find("target");
        if (!memory.Fits)
        {
            if (CompileOptions.ToSeverity(options.OverBudget) is not { } severity)
            {
                return;
            }

            var rule = DiagnosticDescriptors.TrainingMemoryExceedsBudget;
            var remedies = Remedies(spec, shapes, catalog, limit: memory.BudgetBytes);
            diagnostics.Report(rule with { Severity = severity }, at, FixProperties(remedies), spec.Name, MemoryEstimate.Format(memory.TrainingDeviceBytes),
                MemoryEstimate.Format(memory.TrainingPeakBytes), memory.DescribeTraining(), MemoryEstimate.Format(memory.BudgetBytes), memory.GpuDisplayName,
                Advice(remedies, memory.BudgetBytes, "fit"));
        }
        else if (memory.IsNearBudget(options.NearBudgetFraction) && CompileOptions.ToSeverity(options.NearBudget) is { } severity)
        {
            var rule = DiagnosticDescriptors.TrainingMemoryNearBudget;
            var remedies = Remedies(spec, shapes, catalog, limit: (long)(memory.BudgetBytes * (1 - options.NearBudgetFraction)));
            diagnostics.Report(rule with { Severity = severity }, at, FixProperties(remedies), spec.Name, MemoryEstimate.Format(memory.TrainingDeviceBytes),
                MemoryEstimate.Format(memory.TrainingPeakBytes), memory.DescribeTraining(), Percent((double)memory.TrainingDeviceBytes / memory.BudgetBytes),
                MemoryEstimate.Format(memory.BudgetBytes), memory.GpuDisplayName, Percent(options.NearBudgetFraction),
                Advice(remedies, (long)(memory.BudgetBytes * (1 - options.NearBudgetFraction)), "leave the margin"));
        }
    }

    /// <summary>A change to the model's train block, as written, and the device total it gives.</summary>
    public sealed record Remedy(string Change, long DeviceBytes);

    /// <summary>
    /// The changes that bring training under <paramref name="limit"/> device bytes: the largest batch that does, then each
    /// single setting that does (or at least saves memory, when none is enough alone).
    /// </summary>
    public static IReadOnlyList<Remedy> Remedies(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog, long limit)
    {
        var train = spec.Train;
        long current = Device(spec, shapes, catalog);
        var remedies = new List<Remedy>();
        if (LargestBatch(spec, shapes, catalog, limit) is { } batch && batch < train.BatchSize)
        {
            var smaller = spec with { Train = train with { BatchSize = batch } };
            remedies.Add(new Remedy($"batch_size = {batch.ToString(CultureInfo.InvariantCulture)}", Device(smaller, shapes, catalog)));
        }

        var settings = new List<(string Change, TrainSpec Train)>();
        if (!train.GradientCheckpointing)
        {
            settings.Add(("gradient_checkpointing = true", train with { GradientCheckpointing = true }));
        }

        if (train.Precision is Precision.Fp32)
        {
            settings.Add(("precision = bf16_mixed", train with { Precision = Precision.Bf16Mixed }));
        }

        if (train.Attention == AttentionImplementation.Materialized)
        {
            settings.Add(("attention = fused", train with { Attention = AttentionImplementation.Fused }));
        }

        if (!train.FreezeBackbone && train.PeftConfig is null)
        {
            settings.Add(("freeze_backbone = true", train with { FreezeBackbone = true }));
            if (shapes.Stages.FirstOrDefault(s => s.Path == "backbone")?.Descriptor is ILinearLayers)
            {
                settings.Add(("peft_config = lora { r = 8 }", train with { PeftConfig = LoraDefaults }));
            }
        }

        if (train.Optimizer.Name is "adamw" or "adam")
        {
            var args = train.Optimizer.Arguments.Where(a => a.Name is "lr" or "weight_decay").ToEquatableArray();
            settings.Add(("optimizer = adamw8bit { … }", train with { Optimizer = new ObjectValue("adamw8bit", args) }));
        }

        foreach (var (change, changed) in settings)
        {
            long device = Device(spec with { Train = changed }, shapes, catalog);
            if (device < current)
            {
                remedies.Add(new Remedy(change, device));
            }
        }

        // Changes that fit on their own first, then the others by how much they save.
        return remedies.OrderBy(r => r.DeviceBytes > limit).ThenBy(r => r.Change.StartsWith("batch_size", System.StringComparison.Ordinal) ? 0 : 1).ThenBy(r => r.DeviceBytes).ToList();
    }

    /// <summary>
    /// The remedies a code fix can apply as one train setting (<c>batch_size</c> → the largest batch that fits,
    /// <c>gradient_checkpointing</c>, <c>precision</c>, <c>freeze_backbone</c>, …); those written with an elided body are left out.
    /// </summary>
    public static EquatableArray<DiagnosticProperty> FixProperties(IEnumerable<Remedy> remedies) => DiagnosticProperties.TrainSettings(remedies
        .Where(r => !r.Change.Contains("…") && !r.Change.Contains("{"))
        .Select(r => r.Change.Split(new[] { " = " }, 2, System.StringSplitOptions.None))
        .Where(parts => parts.Length == 2)
        .Select(parts => (parts[0], parts[1])));

    /// <summary>The largest batch whose training stays under <paramref name="limit"/> device bytes, or null when not even one does.</summary>
    public static int? LargestBatch(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog, long limit)
    {
        // Memory grows linearly with the batch: a binary search over 1..batch_size needs a handful of estimates.
        int low = 0;
        int high = spec.Train.BatchSize;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (Device(spec with { Train = spec.Train with { BatchSize = middle } }, shapes, catalog) <= limit)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low >= 1 ? low : null;
    }

    private static readonly ObjectValue LoraDefaults = new("lora", EquatableArray.Create(
        new Argument("r", new IntValue(8)),
        new Argument("lora_alpha", new FloatValue(8)),
        new Argument("lora_dropout", new FloatValue(0)),
        new Argument("target_modules", new ListValue(EquatableArray.Create<ArgValue>(new NameValue("qkv"))))));

    private static long Device(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog) =>
        MemoryEstimator.Estimate(spec, shapes, catalog).TrainingDeviceBytes;

    /// <summary>"Each of these would fit: …. These save memory but not enough alone: …." with each change's device total.</summary>
    private static string Advice(IReadOnlyList<Remedy> remedies, long limit, string goal)
    {
        var enough = remedies.Where(r => r.DeviceBytes <= limit).ToList();
        var partial = remedies.Where(r => r.DeviceBytes > limit).ToList();
        var sentences = new List<string>();
        if (enough.Count > 0)
        {
            sentences.Add($"Each of these would {goal}: " + List(enough) + ".");
        }

        if (partial.Count > 0)
        {
            sentences.Add((enough.Count > 0 ? "These" : "Each of these") + " saves memory but not enough alone: " + List(partial) + ".");
        }

        if (enough.Count == 0)
        {
            sentences.Add("Combine them, or choose a larger GPU with 'target'.");
        }

        return string.Join(" ", sentences);
    }

    private static string List(IEnumerable<Remedy> remedies) =>
        string.Join("; ", remedies.Select(r => $"'{r.Change}' ({MemoryEstimate.Format(r.DeviceBytes)})"));

    internal static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
