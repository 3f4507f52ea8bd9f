using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// Trains a <see cref="GeoModel"/> as its <c>train { }</c> block says: the loss (plus weighted auxiliary losses), the
/// optimizer, frozen parts, batch size, epochs and seed, with a <see cref="TrainingOptions"/> to override a few of them
/// for one run. Segmentation models train now; regression and classification plug in through
/// <see cref="Losses.TrainingLosses"/> and their own <see cref="IMetricAccumulator"/>.
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
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        var spec = model.Spec;
        var settings = TrainingSettings.Resolve(spec, options);
        CheckData(spec, settings, train, "training");
        if (validation is not null)
        {
            CheckData(spec, settings, validation, "validation");
        }

        var progress = TrainingProgressDisplays.Create(options.Progress);
        NoteUnsupportedSettings(spec, settings, progress);
        NoteMissingNormalization(spec, train, progress);

        var clock = Stopwatch.StartNew();
        model.to(settings.Device);
        torch.manual_seed(settings.Seed);
        var frozen = ModelFreezing.FrozenModules(model, settings.FreezeBackbone, settings.FreezeDecoder);
        ModelFreezing.Apply(model, frozen);
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0)
        {
            throw new TrainingException($"{spec.Name}: every parameter is frozen, so there is nothing to train. Unfreeze the decoder or the backbone.");
        }

        string? outputFolder = options.OutputFolder is null ? null : Path.GetFullPath(options.OutputFolder);
        string? bestWeightsPath = outputFolder is null ? null : Path.Combine(outputFolder, "best.safetensors");
        if (outputFolder is not null)
        {
            Directory.CreateDirectory(outputFolder);
        }

        var objective = ModelObjective.For(spec);
        using var optimizer = TrainingOptimizers.Create(spec.Train.Optimizer, trainable, settings.LearningRate);
        var scheduler = settings.Schedule == LearningRateSchedule.Cosine
            ? torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, settings.Epochs)
            : null;

        var epochs = new List<EpochSummary>();
        TaskMetrics? bestMetrics = null;
        double bestTrainLoss = double.PositiveInfinity;
        bool cancelled = false;
        for (int epoch = 1; epoch <= settings.Epochs && !cancelled; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double learningRate = optimizer.ParamGroups.First().LearningRate;
            EpochTotals trainTotals = default;
            EpochTotals validationTotals = default;
            IMetricAccumulator trainMetrics = CreateAccumulator(spec, settings);
            IMetricAccumulator? validationMetrics = validation is null ? null : CreateAccumulator(spec, settings);
            TimeSpan trainingTime = TimeSpan.Zero;

            progress.RunEpoch(epoch, settings.Epochs, train.Count, validation?.Count ?? 0, display =>
            {
                var trainingClock = Stopwatch.StartNew();
                trainTotals = TrainOneEpoch(model, frozen, train, settings, EpochShuffle.Seed(settings.Seed, epoch), objective, optimizer, trainMetrics,
                    display, epoch, options);
                trainingTime = trainingClock.Elapsed;
                if (validation is not null && !trainTotals.Cancelled)
                {
                    validationTotals = Evaluate(model, validation, settings, objective, validationMetrics!, display, options);
                }
            });

            if (trainTotals.Cancelled || validationTotals.Cancelled)
            {
                cancelled = true;
                break;
            }

            scheduler?.step();
            var trainScores = trainMetrics.Compute();
            var validationScores = validationMetrics?.Compute();
            bool isBest = validationScores is not null
                ? TaskMetrics.IsBetter(validationScores, bestMetrics)
                : trainTotals.MeanLoss < bestTrainLoss;
            if (isBest)
            {
                bestMetrics = validationScores;
                bestTrainLoss = trainTotals.MeanLoss;
                if (bestWeightsPath is not null)
                {
                    model.SaveSafetensors(bestWeightsPath, new Dictionary<string, string>
                    {
                        ["model"] = spec.Name,
                        ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                    });
                }
            }

            var summary = new EpochSummary(
                epoch,
                settings.Epochs,
                trainTotals.MeanLoss,
                validation is null ? null : validationTotals.MeanLoss,
                trainScores,
                validationScores,
                epochClock.Elapsed,
                train.Count / Math.Max(trainingTime.TotalSeconds, 1e-9),
                learningRate,
                isBest);
            epochs.Add(summary);
            progress.EpochCompleted(summary);
            if (outputFolder is not null)
            {
                TrainingHistoryFile.Write(Path.Combine(outputFolder, "history.csv"), epochs);
            }

            options.EpochCompleted?.Invoke(summary);
        }

        model.eval();
        return new TrainingReport(spec.Name, epochs, clock.Elapsed, cancelled, outputFolder,
            bestWeightsPath is not null && File.Exists(bestWeightsPath) ? bestWeightsPath : null);
    }

    /// <summary>
    /// Scores the model on a data set in evaluation mode without gradients: the mean loss and the task's metrics over
    /// the whole set.
    /// </summary>
    public static (double Loss, TaskMetrics Metrics) Evaluate(GeoModel model, GeoTiffChipDataset data, TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        var settings = TrainingSettings.Resolve(model.Spec, options);
        CheckData(model.Spec, settings, data, "evaluation");
        var metrics = CreateAccumulator(model.Spec, settings);
        var totals = Evaluate(model, data, settings, ModelObjective.For(model.Spec), metrics, new SilentTrainingProgress(), options);
        return (totals.MeanLoss, metrics.Compute());
    }

    private static EpochTotals TrainOneEpoch(
        GeoModel model, IReadOnlyList<nn.Module> frozen, GeoTiffChipDataset data, TrainingSettings settings, int shuffleSeed,
        ModelObjective objective, optim.Optimizer optimizer, IMetricAccumulator metrics, IEpochProgress display, int epoch, TrainingOptions options)
    {
        ModelFreezing.TrainMode(model, frozen);
        // A caller inside a no_grad block (an evaluation loop, a notebook cell) would otherwise get "does not require grad".
        using var gradients = torch.enable_grad();
        int[] order = data.Order(shuffleSeed);
        var totals = new EpochTotals();
        int step = 0;
        for (int start = 0; start < order.Length; start += settings.BatchSize)
        {
            if (options.Cancellation.IsCancellationRequested)
            {
                return totals with { Cancelled = true };
            }

            step++;
            var indices = new ArraySegment<int>(order, start, Math.Min(settings.BatchSize, order.Length - start));

            // Everything a step allocates (batch, activations, gradients' temporaries) is freed when the scope ends,
            // so memory stays flat from the first step to the last.
            using var scope = torch.NewDisposeScope();
            var batch = data.GetBatch(indices, settings.Device);
            var output = model.call(new BackboneInput(batch.Images));
            var loss = objective.Compute(output, batch.Masks);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
            {
                throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                    $"{model.Spec.Name}: the {objective.Loss.Name} loss became {value} at epoch {epoch}, step {step} (chips {string.Join(", ", batch.Chips.Select(c => c.Name))}). " +
                    $"Lower the learning rate (now {settings.LearningRate:G3}) or check those chips for extreme values."));
            }

            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            using (torch.no_grad())
            {
                metrics.Add(output.Output.detach(), batch.Masks);
            }

            totals = totals.Add(value, indices.Count);
            display.Trained(indices.Count, totals.MeanLoss);
        }

        return totals;
    }

    private static EpochTotals Evaluate(
        GeoModel model, GeoTiffChipDataset data, TrainingSettings settings, ModelObjective objective, IMetricAccumulator metrics,
        IEpochProgress display, TrainingOptions options)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var totals = new EpochTotals();
        int[] order = data.Order(null);
        for (int start = 0; start < order.Length; start += settings.BatchSize)
        {
            if (options.Cancellation.IsCancellationRequested)
            {
                return totals with { Cancelled = true };
            }

            var indices = new ArraySegment<int>(order, start, Math.Min(settings.BatchSize, order.Length - start));
            using var scope = torch.NewDisposeScope();
            var batch = data.GetBatch(indices, settings.Device);
            var output = model.call(new BackboneInput(batch.Images));
            double value = objective.Compute(output, batch.Masks).item<float>();
            metrics.Add(output.Output, batch.Masks);
            totals = totals.Add(value, indices.Count);
            display.Validated(indices.Count);
        }

        return totals;
    }

    private static IMetricAccumulator CreateAccumulator(ModelSpec spec, TrainingSettings settings) => spec.Task switch
    {
        ModelTask.Segmentation => new SegmentationMetricAccumulator(settings.IgnoreIndex),
        _ => throw new NotSupportedException($"Metrics for {spec.Task.ToString().ToLowerInvariant()} models are not implemented yet."),
    };

    private static void CheckData(ModelSpec spec, TrainingSettings settings, GeoTiffChipDataset data, string role)
    {
        if (spec.Task != ModelTask.Segmentation)
        {
            throw new NotSupportedException(
                $"{spec.Name} is a {spec.Task.ToString().ToLowerInvariant()} model; GeoTrainer trains segmentation models for now.");
        }

        if (data.Count == 0)
        {
            throw new TrainingException($"The {role} data set is empty.");
        }

        // The data set writes its ignore index into the masks; the loss and metrics skip the train block's. If they
        // differed, cloud pixels would become a class (or crash the loss).
        if (data.Options.IgnoreIndex != settings.IgnoreIndex)
        {
            throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                $"The {role} data set marks unlabelled pixels with {data.Options.IgnoreIndex}, but {spec.Name}'s train block ignores {settings.IgnoreIndex}. " +
                $"Set ChipDatasetOptions.IgnoreIndex = {settings.IgnoreIndex} or ignore_index = {data.Options.IgnoreIndex} in the train block."));
        }
    }

    private static void NoteUnsupportedSettings(ModelSpec spec, TrainingSettings settings, ITrainingProgress progress)
    {
        if (settings.Precision != Precision.Fp32)
        {
            progress.Note($"precision {spec.Train.Precision}: mixed and reduced precision are not implemented in GeoTrainer yet; training in fp32.");
        }

        if (spec.Train.GradientCheckpointing)
        {
            progress.Note("gradient_checkpointing: not implemented in GeoTrainer yet; activations are kept as usual.");
        }
    }

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

    /// <summary>Running sums of one pass: the loss weighted by batch size, the chips seen, and whether it was stopped.</summary>
    private readonly record struct EpochTotals(double WeightedLoss, int Samples, bool Cancelled)
    {
        public double MeanLoss => Samples > 0 ? WeightedLoss / Samples : double.NaN;

        public EpochTotals Add(double loss, int samples) => this with { WeightedLoss = WeightedLoss + loss * samples, Samples = Samples + samples };
    }
}
