using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Adapters;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Training.Data;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Visualization;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// One call of <see cref="GeoTrainer.Fit(GeoModel, ITrainingData, ITrainingData?, TrainingOptions?)"/>: the set-up
/// (freezing, LoRA, parameter groups, optimizer, scheduler, resume) and the loop with its checkpoints and logs.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly GeoModel model;
    private readonly ModelSpec spec;
    private readonly TrainingSettings settings;
    private readonly TrainingOptions options;
    private readonly ITrainingData train;
    private readonly ITrainingData? validation;
    private readonly ITrainingProgress progress;
    private readonly ModelObjective objective;
    private readonly LoraAdapters? adapters;
    private readonly IReadOnlyList<nn.Module> frozen;
    private readonly List<Parameter> trainable;
    private readonly IReadOnlyList<ParameterGroup> groups;
    private readonly optim.Optimizer optimizer;
    private readonly LearningRateScheduler scheduler;
    private readonly string? outputFolder;
    private readonly TrainingLogs? logs;
    private readonly int batchesPerEpoch;
    private readonly List<EpochSummary> epochs = new();
    private readonly List<StepRecord> steps = new();
    private TrainingCheckpointState position;
    private string? lastCheckpoint;

    public TrainingRun(GeoModel model, TrainingSettings settings, TrainingOptions options, ITrainingData train, ITrainingData? validation, ITrainingProgress progress)
    {
        this.model = model;
        spec = model.Spec;
        this.settings = settings;
        this.options = options;
        this.train = train;
        this.validation = validation;
        this.progress = progress;
        objective = ModelObjective.For(spec);

        model.to(settings.Device);
        if (settings.Precision == Precision.Bf16)
        {
            model.to(ScalarType.BFloat16);
        }

        torch.manual_seed(settings.Seed);
        if (spec.Train.Lora is { } lora)
        {
            adapters = LoraAdapters.Attach(model.Encoder, lora);
        }

        // LoRA trains the adapters only: the backbone's own weights stay as loaded (PEFT's behaviour).
        frozen = ModelFreezing.FrozenModules(model, settings.FreezeBackbone || adapters is not null, settings.FreezeDecoder);
        ModelFreezing.Apply(model, frozen);
        trainable = model.parameters().Where(p => p.requires_grad).Concat(adapters?.parameters() ?? Enumerable.Empty<Parameter>()).ToList();
        if (trainable.Count == 0)
        {
            throw new TrainingException($"{spec.Name}: every parameter is frozen, so there is nothing to train. Unfreeze the decoder or the backbone.");
        }

        groups = StageGroups();
        optimizer = TrainingOptimizers.Create(spec.Train.Optimizer, groups);
        batchesPerEpoch = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
        int stepsPerEpoch = (batchesPerEpoch + settings.AccumulateGradBatches - 1) / settings.AccumulateGradBatches;
        scheduler = new LearningRateScheduler(settings.Scheduler, settings.Schedule, settings.LearningRate, settings.Epochs, stepsPerEpoch);

        outputFolder = options.OutputFolder is null ? null : Path.GetFullPath(options.OutputFolder);
        if (outputFolder is not null)
        {
            Directory.CreateDirectory(outputFolder);
        }

        position = new TrainingCheckpointState(spec.Name, 0, 0, 0, 0, 0, Array.Empty<double>(), scheduler.SaveState().ToArray(),
            Array.Empty<byte>(), double.NaN, 0, 0, Fingerprint());
        if (options.ResumeFrom is { } resume)
        {
            Resume(resume);
        }

        logs = outputFolder is null ? null : new TrainingLogs(outputFolder, position.Epoch * batchesPerEpoch + position.BatchesDone);
    }

    public TrainingReport Run()
    {
        var clock = Stopwatch.StartNew();
        bool cancelled = false, stoppedEarly = false;
        int firstEpoch = position.Epoch;
        for (int epoch = firstEpoch; epoch < settings.Epochs && !cancelled && !stoppedEarly; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var trainMetrics = GeoTrainer.CreateAccumulator(spec, settings);
            var validationMetrics = validation is null ? null : GeoTrainer.CreateAccumulator(spec, settings);
            EpochTotals trainTotals = default, validationTotals = default;
            TimeSpan trainingTime = TimeSpan.Zero;
            int trainedSamples = 0;
            double firstRate = double.NaN;
            if (position.BatchesDone > 0)
            {
                trainMetrics.RestoreState(position.TrainMetricState);
                trainTotals = new EpochTotals(position.EpochWeightedLoss, position.EpochSamples, false);
            }

            progress.RunEpoch(epoch + 1, settings.Epochs, train.Count, validation?.Count ?? 0, display =>
            {
                var trainingClock = Stopwatch.StartNew();
                (trainTotals, trainedSamples, firstRate) = TrainOneEpoch(epoch, trainTotals, trainMetrics, display);
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

            var trainScores = trainMetrics.Compute();
            var validationScores = validationMetrics?.Compute();
            scheduler.EpochEnded(validation is null ? trainTotals.MeanLoss : validationTotals.MeanLoss);
            bool isBest = Improves(validationScores, trainTotals.MeanLoss, epoch + 1);
            var summary = new EpochSummary(epoch + 1, settings.Epochs, trainTotals.MeanLoss, validation is null ? null : validationTotals.MeanLoss,
                trainScores, validationScores, epochClock.Elapsed, trainedSamples / Math.Max(trainingTime.TotalSeconds, 1e-9), firstRate, isBest);
            epochs.Add(summary);
            progress.EpochCompleted(summary);
            position = position with
            {
                Epoch = epoch + 1, BatchesDone = 0, EpochWeightedLoss = 0, EpochSamples = 0, TrainMetricState = Array.Empty<double>(),
                SchedulerState = scheduler.SaveState().ToArray(),
            };
            if (outputFolder is not null)
            {
                TrainingHistoryFile.Write(Path.Combine(outputFolder, "history.csv"), epochs, firstEpoch);
                logs!.Epoch(summary);
                SaveCheckpoint();
            }

            options.EpochCompleted?.Invoke(summary);
            if (settings.EarlyStoppingPatience > 0 && position.EpochsWithoutImprovement >= settings.EarlyStoppingPatience && epoch + 1 < settings.Epochs)
            {
                stoppedEarly = true;
                progress.Note(string.Create(CultureInfo.InvariantCulture,
                    $"Early stopping: no better {ScoreName()} for {position.EpochsWithoutImprovement} epochs; the best was epoch {position.BestEpoch}."));
            }
        }

        model.eval();
        if (outputFolder is not null)
        {
            adapters?.Save(Path.Combine(outputFolder, "adapters.safetensors"));
        }

        string? bestPath = outputFolder is null ? null : Path.Combine(outputFolder, adapters is null ? "best.safetensors" : "best_adapters.safetensors");
        var report = new TrainingReport(spec.Name, epochs, clock.Elapsed, cancelled, outputFolder, bestPath is not null && File.Exists(bestPath) ? bestPath : null)
        {
            StoppedEarly = stoppedEarly,
            ResumedFrom = options.ResumeFrom,
            LastCheckpointPath = lastCheckpoint,
            Steps = steps,
            Adapters = adapters,
        };
        if (outputFolder is not null && options.WriteCurves && epochs.Count > 0)
        {
            TrainingCurves.Write(Path.Combine(outputFolder, "curves.png"), report);
        }

        return report;
    }

    public void Dispose()
    {
        logs?.Dispose();
        optimizer.Dispose();
    }

    /// <summary>Scores one pass in evaluation mode without gradients.</summary>
    internal static EpochTotals Evaluate(
        GeoModel model, ITrainingData data, TrainingSettings settings, ModelObjective objective, IMetricAccumulator metrics,
        IEpochProgress display, TrainingOptions options)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var totals = new EpochTotals();
        for (int start = 0; start < data.Count; start += settings.BatchSize)
        {
            if (options.Cancellation.IsCancellationRequested)
            {
                return totals with { Cancelled = true };
            }

            var indices = Enumerable.Range(start, Math.Min(settings.BatchSize, data.Count - start)).ToArray();
            using var scope = torch.NewDisposeScope();
            using var batch = data.GetBatch(indices, settings.Device);
            var output = Forward(model, batch.Inputs, settings);
            double value = objective.Compute(output, batch.Targets).item<float>();
            metrics.Add(output.Output, batch.Targets);
            totals = totals.Add(value, indices.Length);
            display.Validated(indices.Length);
        }

        return totals;
    }

    /// <summary>The model's output for <paramref name="inputs"/>, as float32 whatever the precision the model runs in.</summary>
    private static ModelOutput Forward(GeoModel model, Tensor inputs, TrainingSettings settings)
    {
        if (settings.Precision != Precision.Bf16)
        {
            return model.call(new BackboneInput(inputs));
        }

        var output = model.call(new BackboneInput(inputs.to(ScalarType.BFloat16)));
        return new ModelOutput(output.Output.to(ScalarType.Float32), output.Auxiliary.ToDictionary(a => a.Key, a => a.Value.to(ScalarType.Float32)));
    }

    private (EpochTotals Totals, int Samples, double FirstRate) TrainOneEpoch(int epoch, EpochTotals totals, IMetricAccumulator metrics, IEpochProgress display)
    {
        ModelFreezing.TrainMode(model, frozen);
        adapters?.train();
        // A caller inside a no_grad block (an evaluation loop, a notebook cell) would otherwise get "does not require grad".
        using var gradients = torch.enable_grad();
        int[] order = new DeterministicRandom(EpochShuffle.Seed(settings.Seed, epoch + 1)).Permutation(train.Count);
        int accumulate = settings.AccumulateGradBatches;
        int samples = 0;
        double firstRate = double.NaN;
        optimizer.zero_grad();
        for (int batchIndex = position.BatchesDone; batchIndex < batchesPerEpoch; batchIndex++)
        {
            bool groupStart = batchIndex % accumulate == 0;
            if (groupStart)
            {
                // Only at optimizer-step boundaries: gradients summed so far are not part of a checkpoint.
                if (options.Cancellation.IsCancellationRequested)
                {
                    position = position with { Epoch = epoch, BatchesDone = batchIndex, EpochWeightedLoss = totals.WeightedLoss, EpochSamples = totals.Samples, TrainMetricState = metrics.SaveState() };
                    if (outputFolder is not null)
                    {
                        SaveCheckpoint();
                        progress.Note($"Stopped; the run continues from {lastCheckpoint} with TrainingOptions.ResumeFrom.");
                    }

                    return (totals with { Cancelled = true }, samples, firstRate);
                }

                SetLearningRates(epoch);
            }

            int start = batchIndex * settings.BatchSize;
            var indices = new ArraySegment<int>(order, start, Math.Min(settings.BatchSize, order.Length - start));
            double rate = optimizer.ParamGroups.First().LearningRate;
            firstRate = double.IsNaN(firstRate) ? rate : firstRate;

            // Everything a step allocates (batch, activations, gradients' temporaries) is freed when the scope ends,
            // so memory stays flat from the first step to the last.
            using (var scope = torch.NewDisposeScope())
            {
                using var batch = train.GetBatch(indices, settings.Device);
                var output = Forward(model, batch.Inputs, settings);
                var loss = objective.Compute(output, batch.Targets);
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                {
                    throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                        $"{spec.Name}: the {objective.Loss.Name} loss became {value} at epoch {epoch + 1}, batch {batchIndex + 1} (samples {string.Join(", ", batch.SampleNames)}). " +
                        $"Lower the learning rate (now {rate:G3}), set gradient_clip_val, or check those samples for extreme values.") + LastGoodCheckpointText());
                }

                (accumulate > 1 ? loss / accumulate : loss).backward();
                using (torch.no_grad())
                {
                    metrics.Add(output.Output.detach(), batch.Targets);
                }

                totals = totals.Add(value, indices.Count);
                samples += indices.Count;
                var record = new StepRecord(epoch + 1, batchIndex + 1, epoch * batchesPerEpoch + batchIndex + 1, value, rate);
                steps.Add(record);
                logs?.Step(record);
                options.StepCompleted?.Invoke(record);
                display.Trained(indices.Count, totals.MeanLoss);
            }

            if ((batchIndex + 1) % accumulate == 0 || batchIndex + 1 == batchesPerEpoch)
            {
                OptimizerStep(epoch, batchIndex);
                position = position with { Epoch = epoch, BatchesDone = batchIndex + 1, EpochWeightedLoss = totals.WeightedLoss, EpochSamples = totals.Samples };
                if (outputFolder is not null && options.CheckpointEverySteps > 0 && position.OptimizerStep % options.CheckpointEverySteps == 0 && batchIndex + 1 < batchesPerEpoch)
                {
                    position = position with { TrainMetricState = metrics.SaveState() };
                    SaveCheckpoint();
                }
            }
        }

        return (totals, samples, firstRate);
    }

    private void OptimizerStep(int epoch, int batchIndex)
    {
        if (settings.GradientClipValue > 0)
        {
            double norm = torch.nn.utils.clip_grad_norm_(trainable, settings.GradientClipValue);
            if (!double.IsFinite(norm))
            {
                throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                    $"{spec.Name}: the gradients' norm became {norm} at epoch {epoch + 1}, batch {batchIndex + 1}; the weights were not updated. " +
                    $"Lower the learning rate or check the data for extreme values.") + LastGoodCheckpointText());
            }
        }

        optimizer.step();
        optimizer.zero_grad();
        position = position with { OptimizerStep = position.OptimizerStep + 1 };
    }

    private void SetLearningRates(int epoch)
    {
        int i = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = scheduler.RateAt(UsedGroups[i++].LearningRate, epoch, position.OptimizerStep);
        }
    }

    private IReadOnlyList<ParameterGroup> UsedGroups => groups.Where(g => g.Parameters.Count > 0).ToList();

    /// <summary>Backbone (with its LoRA adapters), necks, decoder and head (with auxiliary heads), each at its stage's rate.</summary>
    private IReadOnlyList<ParameterGroup> StageGroups()
    {
        var rates = settings.StageLearningRates;
        double lr = settings.LearningRate;
        List<Parameter> Trained(IEnumerable<nn.Module> modules) => modules.SelectMany(m => m.parameters()).Where(p => p.requires_grad).ToList();
        var backbone = Trained(new[] { model.Encoder });
        backbone.AddRange(adapters?.parameters() ?? Enumerable.Empty<Parameter>());
        var heads = Trained(model.AuxiliaryHeads.Cast<nn.Module>().Concat(model.Head is null ? Array.Empty<nn.Module>() : new nn.Module[] { model.Head }));
        var result = new List<ParameterGroup>
        {
            new("backbone", backbone, rates.Backbone ?? lr),
            new("necks", Trained(model.Necks), rates.Neck ?? lr),
            new("decoder", Trained(new nn.Module[] { model.Decoder }), rates.Decoder ?? lr),
            new("head", heads, rates.Head ?? lr),
        };
        int grouped = result.Sum(g => g.Parameters.Count);
        if (grouped != trainable.Count)
        {
            throw new InvalidOperationException($"{spec.Name}: {trainable.Count - grouped} trained parameters belong to no stage; the model's modules changed.");
        }

        return result;
    }

    /// <summary>Whether this epoch beats the best so far, and the bookkeeping (best weights, early-stopping counter).</summary>
    private bool Improves(TaskMetrics? validationScores, double trainLoss, int epoch)
    {
        double score = validationScores?.Primary ?? trainLoss;
        bool higherIsBetter = validationScores?.HigherIsBetter ?? false;
        bool better = double.IsFinite(score) && (double.IsNaN(position.BestScore) || (higherIsBetter ? score > position.BestScore : score < position.BestScore));
        if (!better)
        {
            position = position with { EpochsWithoutImprovement = position.EpochsWithoutImprovement + 1 };
            return false;
        }

        position = position with { BestScore = score, BestEpoch = epoch, EpochsWithoutImprovement = 0 };
        if (outputFolder is not null)
        {
            var metadata = new Dictionary<string, string> { ["model"] = spec.Name, ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture) };
            if (adapters is null)
            {
                model.SaveSafetensors(Path.Combine(outputFolder, "best.safetensors"), metadata);
            }
            else
            {
                adapters.Save(Path.Combine(outputFolder, "best_adapters.safetensors"));
            }
        }

        return true;
    }

    private string ScoreName() => validation is null ? "training loss" : "validation " + TrainingTasks.Of(spec) switch
    {
        TrainingTask.Segmentation => "mIoU",
        TrainingTask.PixelRegression => "RMSE",
        TrainingTask.Classification => "accuracy",
        _ => "macro F1",
    };

    private void SaveCheckpoint()
    {
        // A step with a finite loss can still leave NaN or infinite weights (an overflowing update); saving those
        // would replace the last checkpoint worth resuming from.
        using (torch.no_grad())
        {
            if (trainable.Any(p => !p.isfinite().all().item<bool>()))
            {
                throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                    $"{spec.Name}: the weights stopped being finite after optimizer step {position.OptimizerStep} (epoch {position.Epoch + 1}); nothing was saved. " +
                    $"Lower the learning rate or set gradient_clip_val.") + LastGoodCheckpointText());
            }
        }

        lastCheckpoint = Path.Combine(outputFolder!, TrainingCheckpoint.LastFileName);
        position = position with { RngState = TrainingCheckpoint.CaptureRng(), SchedulerState = scheduler.SaveState().ToArray() };
        TrainingCheckpoint.Write(lastCheckpoint, position, model, adapters, optimizer);
    }

    private void Resume(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, TrainingCheckpoint.LastFileName) : path;
        var header = TrainingCheckpoint.ReadState(file);
        if (header.Model != spec.Name)
        {
            throw new TrainingException($"{file} is a checkpoint of {header.Model}, not {spec.Name}.");
        }

        if (header.Fingerprint != position.Fingerprint)
        {
            throw new TrainingException(
                $"{file} was written by a run with {header.Fingerprint}; this run has {position.Fingerprint}. Resume with the same settings and data, or start a new run.");
        }

        position = TrainingCheckpoint.Read(file, model, adapters, optimizer);
        scheduler.RestoreState(position.SchedulerState);
        TrainingCheckpoint.RestoreRng(position.RngState);
        lastCheckpoint = file;
        progress.Note(string.Create(CultureInfo.InvariantCulture,
            $"Resuming {spec.Name} from {file}: epoch {position.Epoch + 1}, batch {position.BatchesDone + 1}, optimizer step {position.OptimizerStep}."));
    }

    private string Fingerprint() => string.Create(CultureInfo.InvariantCulture,
        $"{train.Count} training samples, batch {settings.BatchSize}, accumulate {settings.AccumulateGradBatches}, seed {settings.Seed}, {settings.Epochs} epochs");

    private string LastGoodCheckpointText() => lastCheckpoint is null
        ? ""
        : $" The last good checkpoint is {lastCheckpoint} (left as it was).";

    /// <summary>Running sums of one pass: the loss weighted by batch size, the samples seen, and whether it was stopped.</summary>
    internal readonly record struct EpochTotals(double WeightedLoss, int Samples, bool Cancelled)
    {
        public double MeanLoss => Samples > 0 ? WeightedLoss / Samples : double.NaN;

        public EpochTotals Add(double loss, int samples) => this with { WeightedLoss = WeightedLoss + loss * samples, Samples = Samples + samples };
    }
}
