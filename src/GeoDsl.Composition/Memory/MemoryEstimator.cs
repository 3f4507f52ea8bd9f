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

    public static string Format(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>"weights 1.13 GiB, gradients 1.13 GiB, …", largest first.</summary>
    public string DescribeTraining() => string.Join(", ", TrainingBreakdown.Where(i => i.Bytes > 0).OrderByDescending(i => i.Bytes).Select(i => $"{i.Name} {Format(i.Bytes)}"));
}

/// <summary>
/// Estimates GPU memory from the architecture (memory-facts.md §0): weights + gradients + optimizer states +
/// activations saved for the backward pass (per stage, from each component's own rule) + input batch + logits and
/// loss buffers + the largest transient working set; then the CUDA context and allocator headroom for the device total.
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
        var gpu = spec.Target;
        var parameters = ParameterSummary.Of(shapes, train);
        long total = parameters.Total;
        long trainable = parameters.Trainable;
        int batch = train.BatchSize;

        var trainingSettings = ActivationSettings.For(train.Precision, training: true, train.GradientCheckpointing);
        var inferenceSettings = ActivationSettings.For(train.Precision == Precision.Fp32 ? Precision.Fp32 : Precision.Bf16, training: false, gradientCheckpointing: false);

        // fp32 and mixed precision keep fp32 weights (autocast casts inside the region); pure bf16 keeps bf16.
        int weightBytes = train.Precision == Precision.Bf16 ? 2 : 4;
        long weights = total * weightBytes;
        long gradients = trainable * weightBytes;
        long optimizer = trainable * OptimizerBytesPerParameter(train, weightBytes);
        long inputBatch = InputBytes(spec) * batch;

        var (saved, transient) = Activations(spec, shapes, catalog, trainingSettings, train);
        long activations = saved * batch;
        long workspace = transient * batch;
        long loss = LossBytes(spec, shapes, trainingSettings) * batch;

        var trainingBreakdown = new[]
        {
            new MemoryItem("weights", weights),
            new MemoryItem("gradients", gradients),
            new MemoryItem("optimizer states", optimizer),
            new MemoryItem("activations", activations),
            new MemoryItem("logits and loss", loss),
            new MemoryItem("input batch", inputBatch),
            new MemoryItem("workspace", workspace),
        };
        long trainingPeak = trainingBreakdown.Sum(i => i.Bytes);

        int inferenceWeightBytes = inferenceSettings.ComputeBytes;
        var (_, inferenceTransient) = Activations(spec, shapes, catalog, inferenceSettings, train);
        long outputs = OutputBytes(spec, shapes) * batch;
        var inferenceBreakdown = new[]
        {
            new MemoryItem("weights", total * inferenceWeightBytes),
            new MemoryItem("input batch", inputBatch),
            new MemoryItem("workspace", inferenceTransient * batch),
            new MemoryItem("outputs", outputs),
        };
        long inferencePeak = inferenceBreakdown.Sum(i => i.Bytes);

        return new MemoryEstimate(gpu.Gpu, gpu.DisplayName, gpu.MemoryBytes,
            trainingPeak, DeviceTotal(trainingPeak), inferencePeak, DeviceTotal(inferencePeak),
            trainingBreakdown.ToEquatableArray(), inferenceBreakdown.ToEquatableArray());
    }

    public static long DeviceTotal(long allocatedPeak) => (long)(allocatedPeak * (1 + AllocatorHeadroom)) + CudaContextBytes;

    /// <summary>HF "Model training anatomy" (memory-facts.md §1.1): AdamW 8 B, SGD with momentum 4 B, per trainable parameter.</summary>
    private static int OptimizerBytesPerParameter(TrainSpec train, int weightBytes) => train.Optimizer.Name switch
    {
        "sgd" => train.Optimizer.Args.Double("momentum") > 0 ? weightBytes : 0,
        _ => 2 * weightBytes,
    };

    private static (long Saved, long Transient) Activations(ModelSpec spec, InferredShapes shapes, ComponentCatalog catalog, ActivationSettings settings, TrainSpec train)
    {
        long saved = 0;
        long transient = 0;
        foreach (var stage in shapes.Stages)
        {
            ActivationEstimate estimate = stage.Descriptor switch
            {
                BackboneDescriptor backbone => PerFrameTimes(backbone, spec, stage, settings),
                StageDescriptor other when stage.Input is not null && stage.Path != "output" => other.EstimateActivations(stage.Input, stage.Trace.Output, stage.Component.Args, settings),
                _ => ActivationEstimate.None,
            };

            // A frozen backbone saves nothing for backward: no parameter before its output needs a gradient.
            saved += train.FreezeBackbone && stage.Path == "backbone" ? 0 : estimate.SavedBytes;
            transient = Math.Max(transient, estimate.TransientBytes);
        }

        return (saved, transient);
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
        return new ActivationEstimate(once.SavedBytes * passes, once.TransientBytes);
    }

    /// <summary>The float32 input [C, T, H, W] and its int64 label map, per sample.</summary>
    private static long InputBytes(ModelSpec spec)
    {
        long pixels = (long)spec.Input.Height * spec.Input.Width;
        long labels = spec.Task == ModelTask.Classification ? 8 : pixels * (spec.Task == ModelTask.Regression ? 4 : 8);
        return (spec.Input.Channels * (long)spec.Input.Frames * pixels * 4) + labels;
    }

    /// <summary>
    /// Per sample: the prediction upsampled to the input size (kept for the loss), its log-softmax in fp32 (cross-entropy
    /// saves it), and the gradient of the logits in the backward pass; each auxiliary head adds the same.
    /// </summary>
    private static long LossBytes(ModelSpec spec, InferredShapes shapes, ActivationSettings settings)
    {
        long final = OutputBytes(spec, shapes) / 4;
        long heads = 1 + spec.AuxiliaryHeads.Count;
        return heads * final * (settings.ComputeBytes + 4 + 4);
    }

    /// <summary>The model output in fp32, per sample.</summary>
    private static long OutputBytes(ModelSpec spec, InferredShapes shapes) =>
        shapes.Stages.FirstOrDefault(s => s.Path == "output") is { } output ? output.Trace.Output.Tensors[0].Elements * 4 : 0;
}
