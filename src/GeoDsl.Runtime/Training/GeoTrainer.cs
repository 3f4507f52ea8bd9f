using System;
using System.Globalization;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Training.Data;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Training.Progress;
using TorchSharp;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// Trains a <see cref="GeoModel"/> as its <c>train { }</c> block says — the task its kind and loss decide
/// (segmentation, pixel-wise regression, classification, multi-label classification), the loss plus weighted auxiliary
/// losses, the optimizer with per-stage learning rates, the scheduler, gradient accumulation and clipping, freezing,
/// LoRA, early stopping, batch size, epochs and seed — with a <see cref="TrainingOptions"/> to override a few of them
/// for one run, and checkpoints that let a stopped run continue step for step.
/// </summary>
public static class GeoTrainer
{
    /// <summary>
    /// Trains on <paramref name="train"/> and, after every epoch, scores the model on <paramref name="validation"/>.
    /// The model's weights are those of the last epoch afterwards; with an output folder, the best epoch's weights are
    /// in <c>best.safetensors</c>. For a run that reproduces from its first weight on, call
    /// <c>torch.manual_seed</c> before building the model: the trainer seeds everything after that. Parts the train
    /// block freezes keep <c>requires_grad = false</c> afterwards.
    /// </summary>
    /// <exception cref="TrainingException">The settings do not fit the model or data, or the loss stopped being finite.</exception>
    public static TrainingReport Fit(GeoModel model, GeoTiffChipDataset train, GeoTiffChipDataset? validation = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(model, new ChipTrainingData(train), validation is null ? null : new ChipTrainingData(validation), options);
    }

    /// <summary>Trains on any <see cref="ITrainingData"/>: chip folders, or labels and targets held as tensors.</summary>
    /// <exception cref="TrainingException">The settings do not fit the model or data, or the loss stopped being finite.</exception>
    public static TrainingReport Fit(GeoModel model, ITrainingData train, ITrainingData? validation = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        var settings = TrainingSettings.Resolve(model.Spec, options);
        CheckData(model.Spec, settings, train, "training");
        if (validation is not null)
        {
            CheckData(model.Spec, settings, validation, "validation");
        }

        var progress = TrainingProgressDisplays.Create(options.Progress);
        NoteUnsupportedSettings(model.Spec, settings, progress);
        if (train is ChipTrainingData chips)
        {
            NoteMissingNormalization(model.Spec, chips.Chips, progress);
        }

        using var run = new TrainingRun(model, settings, options, train, validation, progress);
        return run.Run();
    }

    /// <summary>
    /// Scores the model on a data set in evaluation mode without gradients: the mean loss and the task's metrics over
    /// the whole set.
    /// </summary>
    public static (double Loss, TaskMetrics Metrics) Evaluate(GeoModel model, GeoTiffChipDataset data, TrainingOptions? options = null) =>
        Evaluate(model, new ChipTrainingData(data), options);

    /// <inheritdoc cref="Evaluate(GeoModel, GeoTiffChipDataset, TrainingOptions?)"/>
    public static (double Loss, TaskMetrics Metrics) Evaluate(GeoModel model, ITrainingData data, TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        var settings = TrainingSettings.Resolve(model.Spec, options);
        CheckData(model.Spec, settings, data, "evaluation");
        var metrics = CreateAccumulator(model.Spec, settings);
        var totals = TrainingRun.Evaluate(model, data, settings, ModelObjective.For(model.Spec), metrics, new SilentTrainingProgress(), options);
        return (totals.MeanLoss, metrics.Compute());
    }

    internal static IMetricAccumulator CreateAccumulator(ModelSpec spec, TrainingSettings settings) => TrainingTasks.Of(spec) switch
    {
        TrainingTask.Segmentation => new SegmentationMetricAccumulator(settings.IgnoreIndex),
        TrainingTask.Classification => new SegmentationMetricAccumulator(settings.IgnoreIndex, imageLevel: true),
        TrainingTask.MultiLabelClassification => new MultiLabelMetricAccumulator(settings.IgnoreIndex),
        TrainingTask.PixelRegression => new RegressionMetricAccumulator(settings.IgnoreIndex),
        var task => throw new NotSupportedException($"No metrics for {task}."),
    };

    private static void CheckData(ModelSpec spec, TrainingSettings settings, ITrainingData data, string role)
    {
        if (data.Count == 0)
        {
            throw new TrainingException($"The {role} data set is empty.");
        }

        // The data set writes its ignore index into the masks; the loss and metrics skip the train block's. If they
        // differed, cloud pixels would become a class (or crash the loss).
        if (data.IgnoreIndex is long dataIgnore && dataIgnore != settings.IgnoreIndex)
        {
            throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                $"The {role} data set marks unlabelled pixels with {dataIgnore}, but {spec.Name}'s train block ignores {settings.IgnoreIndex}. " +
                $"Set ChipDatasetOptions.IgnoreIndex = {settings.IgnoreIndex} or ignore_index = {dataIgnore} in the train block."));
        }
    }

    private static void NoteUnsupportedSettings(ModelSpec spec, TrainingSettings settings, ITrainingProgress progress)
    {
        // TorchSharp 0.107 has neither torch.autocast nor a GradScaler, so mixed precision cannot be done as PyTorch does
        // it; pure bf16 (weights, activations and optimizer states in bfloat16) needs neither and is honoured.
        if (settings.Precision is Precision.Fp16Mixed or Precision.Bf16Mixed)
        {
            progress.Note($"precision {PrecisionName(settings.Precision)}: TorchSharp has no autocast or gradient scaler, so mixed precision is not available on any device; training in fp32.");
        }
        else if (settings.Precision == Precision.Bf16 && settings.Device.type == DeviceType.CPU)
        {
            progress.Note("precision bf16 on the CPU: weights and activations are bfloat16 as asked, but CPU bfloat16 kernels are usually slower than fp32.");
        }

        if (spec.Train.GradientCheckpointing)
        {
            progress.Note("gradient_checkpointing: not implemented in GeoTrainer yet; activations are kept as usual.");
        }
    }

    private static string PrecisionName(Precision precision) => precision switch
    {
        Precision.Fp16Mixed => "fp16_mixed",
        Precision.Bf16Mixed => "bf16_mixed",
        Precision.Bf16 => "bf16",
        _ => "fp32",
    };

    // A model that declares its input statistics (as pretrained Prithvi weights expect) trained on raw reflectance
    // learns far slower or not at all, and nothing fails: say so once.
    private static void NoteMissingNormalization(ModelSpec spec, GeoTiffChipDataset train, ITrainingProgress progress)
    {
        if (train.Options.Normalization is null && spec.Input.Means.Count > 0)
        {
            progress.Note($"{spec.Name} declares input means and stds, but the training data set has no Normalization; its values reach the model as stored. " +
                "Set ChipDatasetOptions.Normalization (e.g. new BandNormalization(means, stds) or GeoTiffChipDataset.ComputeNormalization).");
        }
    }
}
