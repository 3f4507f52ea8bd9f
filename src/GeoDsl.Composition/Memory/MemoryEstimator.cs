using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>One named part of a memory estimate.</summary>
public sealed record MemoryItem(string Name, long Bytes);

/// <summary>
/// Peak memory of training and of inference on the target GPU. <see cref="TrainingPeakBytes"/> and
/// <see cref="InferencePeakBytes"/> are what PyTorch's <c>max_memory_allocated</c> would report; the device
/// totals add the CUDA context and the caching allocator's headroom, as nvidia-smi would show them.
/// </summary>
public sealed record MemoryEstimate(
    string Gpu,
    string GpuDisplayName,
    long BudgetBytes,
    long TrainingPeakBytes,
    long TrainingDeviceBytes,
    long InferencePeakBytes,
    long InferenceDeviceBytes,
    EquatableArray<MemoryItem> TrainingBreakdown,
    EquatableArray<MemoryItem> InferenceBreakdown)
{
    public bool Fits => TrainingDeviceBytes <= BudgetBytes;

    public bool InferenceFits => InferenceDeviceBytes <= BudgetBytes;

    /// <summary>Whether training fits with less than <paramref name="fraction"/> of the budget to spare.</summary>
    public bool IsNearBudget(double fraction) => Fits && TrainingDeviceBytes > BudgetBytes * (1 - fraction);

    public static string Format(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>"weights 1.13 GiB, gradients 1.13 GiB, …", largest first.</summary>
    public string DescribeTraining() => string.Join(", ", TrainingBreakdown.Where(i => i.Bytes > 0).OrderByDescending(i => i.Bytes).Select(i => $"{i.Name} {Format(i.Bytes)}"));
}

/// <summary>
/// Estimates GPU memory from the architecture (memory-facts.md §0). Training peaks at one of two moments:
/// <list type="bullet">
/// <item>when the backward pass starts: the model states, the activations every stage saved (each component's own rule,
/// <c>EstimateActivations</c>), the loss's buffers, and the larger of the largest forward working set and the loss's
/// backward;</item>
/// <item>during the optimizer step: the model states and the step's temporaries (activations are freed by then).</item>
/// </list>
/// Model states are weights (with their 16-bit casts under autocast), gradients (kept between steps, as
/// <c>zero_grad(set_to_none=False)</c> and mmseg do; PyTorch ≥ 2.0's default frees them, so the real peak can be up to
/// that term lower) and optimizer states, counted from the parameters that train — LoRA's adapters only, on a base
/// stored in the training precision or, for QLoRA, in 4 bits. The device total adds the CUDA context and the
/// allocator's headroom.
/// </summary>
public static class MemoryEstimator
{
    /// <summary>CUDA context with lazy module loading: 426 MiB on an RTX 6000 Ada with torch 2.10 (memory-facts.md §1.7).</summary>
    public const long CudaContextBytes = 426L * 1024 * 1024;

    /// <summary>Reserved-but-unallocated headroom of the caching allocator, 5–15% (memory-facts.md §1.7); the middle is used.</summary>
    public const double AllocatorHeadroom = 0.10;

    public static MemoryEstimate Estimate(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog)
    {
        var train = spec.Train;
        var target = spec.Target;
        var lora = Lora(spec, shapes, catalog);
        var parameters = ParameterSummary.Of(spec, shapes, catalog);
        int batch = train.BatchSize;
        var precision = train.Precision;

        // Weights: the base at the training precision, QLoRA's linear weights in 4 bits, LoRA adapters like any trained weight.
        long quantized = lora?.QuantizedParameters ?? 0;
        double quantizedBytes = lora is null ? 0 : quantized * LoraFootprint.QuantizedBytesPerParameter(train.Lora!.DoubleQuant);
        long weights = ((parameters.Total - quantized) * ModelStates.WeightBytes(precision)) + (long)quantizedBytes;
        long gradients = parameters.Trainable * ModelStates.GradientBytes(precision);
        long optimizer = (long)(parameters.Trainable * ModelStates.OptimizerStateBytes(train.Optimizer, precision));
        long inputBatch = InputBytes(spec) * batch;

        var flow = Flow(spec, shapes, train);
        var training = Activations(spec, shapes, flow, ActivationSettings.For(precision, training: true, train.GradientCheckpointing, Fused(train)) with { Adapters = train.Lora });
        bool backboneRuns = flow.TryGetValue("backbone", out bool runs) && runs;
        long casts = flow.Where(f => f.Value).Sum(f => Parameters(shapes, f.Key)) + (backboneRuns ? (lora?.AdapterParameters ?? 0) - quantized : 0);
        long weightCasts = Math.Max(0, casts) * ModelStates.WeightCastBytes(precision);

        var loss = LossActivations.For(train.Loss, ActivationSettings.For(precision, training: true, gradientCheckpointing: false));
        long lossElements = PredictionElements(spec, shapes);
        int heads = 1 + spec.AuxiliaryHeads.Count;
        long lossSaved = (long)(heads * lossElements * loss.Saved) * batch;
        long lossTransient = (long)(lossElements * Math.Max(loss.Forming, loss.Backward)) * batch;

        // The forward pass's peak above everything saved (a stage's working set), and QLoRA's dequantised weight (one
        // 4-bit weight at a time, in 16 bits), against the loss's buffers when the backward pass starts.
        long dequantized = (lora?.LargestQuantizedWeight ?? 0) * 2;
        long workspace = Math.Max(training.Transient * batch, dequantized);
        // The backward pass starts with the loss's buffers alive, and its first large convolution takes its cuDNN workspace
        // while the other heads' buffers still are; both are counted together.
        long convolutionWorkspace = training.ConvolutionWorkspace * batch;
        bool lossPeaks = lossSaved + lossTransient + convolutionWorkspace >= workspace;
        long backwardStart = (training.Saved * batch) + Math.Max(workspace, lossSaved + lossTransient + convolutionWorkspace);
        long optimizerStep = (long)(parameters.Trainable * ModelStates.OptimizerStepBytes(train.Optimizer, precision));

        var states = new[]
        {
            new MemoryItem("weights", weights),
            new MemoryItem("weight casts", weightCasts),
            new MemoryItem("gradients", gradients),
            new MemoryItem("optimizer states", optimizer),
            new MemoryItem("input batch", inputBatch),
        };
        var moment = backwardStart >= optimizerStep
            ? new[]
            {
                new MemoryItem("activations", training.Saved * batch),
                new MemoryItem("logits and loss", lossPeaks ? lossSaved + lossTransient : 0),
                new MemoryItem("convolution workspace", lossPeaks ? convolutionWorkspace : 0),
                new MemoryItem("workspace", lossPeaks ? 0 : workspace),
            }
            : new[] { new MemoryItem("optimizer step", optimizerStep) };
        var trainingBreakdown = states.Concat(moment).ToArray();
        long trainingPeak = trainingBreakdown.Sum(i => i.Bytes);

        // Inference runs in the training precision (pure bf16 weights stay bf16; fp32 and autocast keep fp32 weights, the
        // casts being transient), nothing is saved for backward, and the prediction is kept at label resolution.
        var inferenceSettings = ActivationSettings.For(precision, training: false, gradientCheckpointing: false, Fused(train));
        var inference = Activations(spec, shapes, flow.ToDictionary(f => f.Key, _ => false), inferenceSettings);
        var inferenceBreakdown = new[]
        {
            new MemoryItem("weights", weights),
            new MemoryItem("input batch", inputBatch),
            new MemoryItem("workspace", Math.Max(inference.Transient * batch, dequantized) + (inference.ConvolutionWorkspace * batch)),
            new MemoryItem("outputs", lossElements * 4 * batch),
        };
        long inferencePeak = inferenceBreakdown.Sum(i => i.Bytes);

        return new MemoryEstimate(target.Gpu, target.DisplayName, target.MemoryBytes,
            trainingPeak, DeviceTotal(trainingPeak), inferencePeak, DeviceTotal(inferencePeak),
            trainingBreakdown.ToEquatableArray(), inferenceBreakdown.ToEquatableArray());
    }

    public static long DeviceTotal(long allocatedPeak) => (long)(allocatedPeak * (1 + AllocatorHeadroom)) + CudaContextBytes;

    /// <summary>LoRA/QLoRA's adapters and quantised weights for this model, or null without <c>peft_config</c>.</summary>
    public static LoraFootprint? Lora(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog)
    {
        if (spec.Train.Lora is not { } lora || shapes.Stages.FirstOrDefault(s => s.Path == "backbone") is not { } backbone)
        {
            return null;
        }

        var layers = backbone.Descriptor is ILinearLayers linear
            ? linear.LinearLayers(TemporalPooling.InnerInput((BackboneDescriptor)backbone.Descriptor, spec.Input, backbone.Component.Args), backbone.Component.Args)
            : Array.Empty<LinearLayerGroup>();
        return LoraFootprint.Of(lora, backbone.Trace.Parameters, layers);
    }

    private static bool Fused(TrainSpec train) => train.Attention == AttentionImplementation.Fused;

    /// <summary>
    /// For each stage path, whether the backward pass runs through it: something at or before it in its chain trains
    /// (its own weights, LoRA adapters in the backbone, a neck's or decoder's weights).
    /// </summary>
    private static Dictionary<string, bool> Flow(ModelSpec spec, InferredShapes shapes, TrainSpec train)
    {
        var flow = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool flowing = false;
        bool afterNecks = false;
        foreach (var stage in shapes.Stages)
        {
            if (stage.Path == "output")
            {
                continue;
            }

            bool trains = (stage.Path == "backbone" && train.Lora is not null) || (!train.FreezesWeightsOf(stage.Path) && stage.Trace.Parameters > 0);
            if (stage.Path.StartsWith("aux_head[", StringComparison.Ordinal))
            {
                // An auxiliary chain starts again from the necks' output.
                bool upstream = stage.Path.EndsWith(".head", StringComparison.Ordinal) && flow.TryGetValue(stage.Path.Replace(".head", ".decoder"), out bool decoder) ? decoder : afterNecks;
                flow[stage.Path] = upstream || trains;
                continue;
            }

            flowing |= trains;
            flow[stage.Path] = flowing;
            if (stage.Path == "backbone" || stage.Path.StartsWith("neck", StringComparison.Ordinal))
            {
                afterNecks = flowing;
            }
        }

        return flow;
    }

    private static long Parameters(InferredShapes shapes, string path) => shapes.Stages.Where(s => s.Path == path).Sum(s => s.Trace.Parameters);

    /// <summary>
    /// Every stage's saved activations, and the forward pass's peak above what is saved by then: a stage's working set
    /// exists while the stages before it have saved theirs, but the later ones have not (model order, then the
    /// auxiliary heads, as TerraTorch runs them). Per sample.
    /// </summary>
    private static (long Saved, long Transient, long ConvolutionWorkspace) Activations(ModelSpec spec, InferredShapes shapes, IReadOnlyDictionary<string, bool> flow, ActivationSettings common)
    {
        long saved = 0;
        long transient = 0;
        long convolutionWorkspace = 0;
        foreach (var stage in shapes.Stages)
        {
            if (stage.Path == "output")
            {
                continue;
            }

            var settings = common with
            {
                Training = flow.TryGetValue(stage.Path, out bool runs) && runs,
                TrainsWeights = !spec.Train.FreezesWeightsOf(stage.Path),
                Adapters = stage.Path == "backbone" ? common.Adapters : null,
            };
            ActivationEstimate estimate = stage.Descriptor switch
            {
                BackboneDescriptor backbone => PerFrameTimes(backbone, spec, stage, settings),
                StageDescriptor other when stage.Input is not null => other.EstimateActivations(stage.Input, stage.Trace.Output, stage.Component.Args, settings),
                _ => ActivationEstimate.None,
            };

            transient = Math.Max(transient, saved + estimate.TransientBytes);
            saved += estimate.SavedBytes;
            convolutionWorkspace = Math.Max(convolutionWorkspace, estimate.ConvolutionWorkspaceBytes);
        }

        // Reported as the peak's excess over the total saved, so it can be set against the loss's own buffers.
        return (saved, Math.Max(0, transient - saved), convolutionWorkspace);
    }

    /// <summary>A backbone wrapped for frames runs once per frame and keeps every pass's activations.</summary>
    private static ActivationEstimate PerFrameTimes(BackboneDescriptor backbone, ModelSpec spec, ResolvedStage stage, ActivationSettings settings)
    {
        var args = stage.Component.Args;
        var inner = TemporalPooling.InnerInput(backbone, spec.Input, args);
        int passes = TemporalPooling.Passes(backbone, spec.Input, args);
        if (passes == 1)
        {
            return backbone.EstimateActivations(inner, args, stage.Trace.Output, settings);
        }

        // The trace holds the pooled features; each pass produced the single-frame ones.
        var perFrame = backbone.Infer(inner, args, new ShapeContext(inner, spec.Task, string.Empty, (_, _, _) => { })) ?? stage.Trace.Output;
        var once = backbone.EstimateActivations(inner, args, perFrame, settings);
        return once with { SavedBytes = once.SavedBytes * passes };
    }

    /// <summary>The float32 input [C, T, H, W] and its label (int64 class map, fp32 regression target, one int64 class), per sample.</summary>
    private static long InputBytes(ModelSpec spec)
    {
        long pixels = (long)spec.Input.Height * spec.Input.Width;
        long labels = spec.Task == ModelTask.Classification ? 8 : pixels * (spec.Task == ModelTask.Regression ? 4 : 8);
        return (spec.Input.Channels * (long)spec.Input.Frames * pixels * 4) + labels;
    }

    /// <summary>Elements of one head's prediction at label resolution, per sample (auxiliary heads are resized to it too).</summary>
    private static long PredictionElements(ModelSpec spec, InferredShapes shapes) =>
        shapes.Stages.FirstOrDefault(s => s.Path == "output") is { } output ? output.Trace.Output.Tensors[0].Elements : 0;
}
