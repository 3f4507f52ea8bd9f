using System;
using System.Collections.Generic;
using System.Globalization;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// The learning rate of every parameter group at every optimizer step, from the train block's <c>scheduler</c>. The
/// formulas are torch.optim.lr_scheduler's (written here rather than driving TorchSharp's scheduler objects because a
/// resumed run must land on the exact rate of the step it stopped at, and those objects cannot be saved and restored):
/// <list type="bullet">
/// <item><c>cosine { warmup_epochs, eta_min }</c>: linear warm-up over the warm-up epochs' steps, rate·(t + 1)/W, then
/// CosineAnnealingLR stepped per optimizer step: eta_min + (rate − eta_min)·(1 + cos(π·t′/T′))/2.</item>
/// <item><c>step { step_size, gamma }</c>: StepLR per epoch, rate·gamma^⌊epoch / step_size⌋.</item>
/// <item><c>plateau { patience, factor }</c>: ReduceLROnPlateau per epoch on the monitored loss (mode min, relative
/// threshold 1e-4, no cooldown).</item>
/// <item><c>onecycle { max_lr, pct_start, div_factor }</c>: OneCycleLR per optimizer step with cosine annealing and
/// final_div_factor 1e4; each group peaks at max_lr scaled by its rate / the optimizer's lr.</item>
/// </list>
/// The run option <see cref="LearningRateSchedule.Cosine"/> without a scheduler in the train block is CosineAnnealingLR
/// over the epochs, stepped per epoch (as before the train block had schedulers).
/// </summary>
public sealed class LearningRateScheduler
{
    /// <summary>ReduceLROnPlateau's default relative threshold: a loss must beat the best by this fraction to count.</summary>
    public const double PlateauThreshold = 1e-4;

    /// <summary>OneCycleLR's default: the last rate is the first divided by this.</summary>
    public const double OneCycleFinalDivFactor = 1e4;

    private readonly ObjectValue? scheduler;
    private readonly LearningRateSchedule legacy;
    private readonly double optimizerRate;
    private readonly int epochs;
    private readonly int stepsPerEpoch;
    private double plateauBest = double.PositiveInfinity;
    private int plateauBadEpochs;
    private double plateauFactor = 1;

    /// <param name="scheduler">The train block's scheduler; null for a constant rate (or <paramref name="legacy"/>).</param>
    /// <param name="optimizerRate">The optimizer's lr, which onecycle's max_lr is relative to.</param>
    /// <param name="stepsPerEpoch">Optimizer steps per epoch (batches / gradient accumulation, rounded up).</param>
    public LearningRateScheduler(ObjectValue? scheduler, LearningRateSchedule legacy, double optimizerRate, int epochs, int stepsPerEpoch)
    {
        this.scheduler = scheduler;
        this.legacy = legacy;
        this.optimizerRate = optimizerRate;
        this.epochs = epochs;
        this.stepsPerEpoch = Math.Max(1, stepsPerEpoch);
        if (scheduler is { Name: "cosine" } && WarmupSteps >= TotalSteps)
        {
            throw new TrainingException(string.Create(CultureInfo.InvariantCulture,
                $"cosine {{ warmup_epochs = {scheduler.Args.Int("warmup_epochs")} }} warms up for the whole run of {epochs} epochs; use fewer warm-up epochs or more epochs."));
        }
    }

    /// <summary>"cosine (warm-up 2 epochs)", "constant".</summary>
    public string Description => scheduler?.ToSource() ?? (legacy == LearningRateSchedule.Cosine ? "cosine" : "constant");

    private int TotalSteps => epochs * stepsPerEpoch;

    private int WarmupSteps => scheduler is { Name: "cosine" } s ? s.Args.Int("warmup_epochs") * stepsPerEpoch : 0;

    /// <summary>The rate of a group whose own rate is <paramref name="groupRate"/>, at <paramref name="epoch"/> (0-based) and optimizer step <paramref name="step"/> (0-based, counted over the run).</summary>
    public double RateAt(double groupRate, int epoch, int step)
    {
        if (scheduler is null)
        {
            return legacy == LearningRateSchedule.Cosine ? groupRate * (1 + Math.Cos(Math.PI * epoch / epochs)) / 2 : groupRate;
        }

        var args = scheduler.Args;
        switch (scheduler.Name)
        {
            case "cosine":
            {
                int warmup = WarmupSteps;
                if (step < warmup)
                {
                    return groupRate * (step + 1) / warmup;
                }

                double etaMin = args.Double("eta_min");
                double progress = (double)(step - warmup) / (TotalSteps - warmup);
                return etaMin + (groupRate - etaMin) * (1 + Math.Cos(Math.PI * progress)) / 2;
            }

            case "step":
                return groupRate * Math.Pow(args.Double("gamma"), epoch / args.Int("step_size"));
            case "plateau":
                return groupRate * plateauFactor;
            case "onecycle":
            {
                double peak = args.Double("max_lr") * groupRate / optimizerRate;
                double initial = peak / args.Double("div_factor");
                double final = initial / OneCycleFinalDivFactor;
                double warmEnd = args.Double("pct_start") * TotalSteps - 1;
                double end = TotalSteps - 1;
                return step <= warmEnd
                    ? CosineAnneal(initial, peak, step / warmEnd)
                    : CosineAnneal(peak, final, (step - warmEnd) / (end - warmEnd));
            }

            default:
                throw new TrainingException($"Unknown scheduler '{scheduler.Name}'; use cosine, step, plateau or onecycle.");
        }
    }

    /// <summary>Tells ReduceLROnPlateau the epoch's monitored loss; the other schedules ignore it.</summary>
    public void EpochEnded(double monitoredLoss)
    {
        if (scheduler is not { Name: "plateau" } || double.IsNaN(monitoredLoss))
        {
            return;
        }

        if (monitoredLoss < plateauBest * (1 - PlateauThreshold))
        {
            plateauBest = monitoredLoss;
            plateauBadEpochs = 0;
            return;
        }

        if (++plateauBadEpochs > scheduler.Args.Int("patience"))
        {
            plateauFactor *= scheduler.Args.Double("factor");
            plateauBadEpochs = 0;
        }
    }

    /// <summary>What a resumed run needs: ReduceLROnPlateau's best loss, epochs without improvement and reduction so far.</summary>
    public IReadOnlyList<double> SaveState() => new[] { plateauBest, plateauBadEpochs, plateauFactor };

    public void RestoreState(IReadOnlyList<double> state)
    {
        if (state.Count != 3)
        {
            throw new TrainingException($"A scheduler state has 3 numbers; the checkpoint holds {state.Count}.");
        }

        plateauBest = state[0];
        plateauBadEpochs = (int)state[1];
        plateauFactor = state[2];
    }

    // OneCycleLR's _annealing_cos.
    private static double CosineAnneal(double start, double end, double fraction) => end + (start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1);
}
