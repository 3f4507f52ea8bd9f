using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>GeoDsl's schedules against TorchSharp's own lr_scheduler objects, stepped the same way.</summary>
public sealed class LearningRateSchedulerTests
{
    private const double BaseRate = 0.1;

    private static ObjectValue Scheduler(string name, params (string Name, ArgValue Value)[] args) =>
        new(name, args.Select(a => new Argument(a.Name, a.Value)).ToEquatableArray());

    private static torch.optim.Optimizer Sgd() => torch.optim.SGD(new[] { new Parameter(torch.ones(2)) }, BaseRate);

    private static double TorchRate(torch.optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    [Fact]
    public void StepDecaysLikeStepLR()
    {
        var ours = new LearningRateScheduler(Scheduler("step", ("step_size", new IntValue(3)), ("gamma", new FloatValue(0.5))), LearningRateSchedule.Constant, BaseRate, 10, 4);
        using var optimizer = Sgd();
        var reference = torch.optim.lr_scheduler.StepLR(optimizer, 3, 0.5);
        for (int epoch = 0; epoch < 10; epoch++)
        {
            Assert.Equal(TorchRate(optimizer), ours.RateAt(BaseRate, epoch, epoch * 4), 12);
            reference.step();
        }
    }

    [Fact]
    public void CosineAfterWarmUpFollowsCosineAnnealingLRPerStep()
    {
        // 6 epochs of 5 steps, 2 warm-up epochs: 10 steps rising linearly, then 20 of CosineAnnealingLR(T_max = 20).
        var ours = new LearningRateScheduler(Scheduler("cosine", ("warmup_epochs", new IntValue(2)), ("eta_min", new FloatValue(0.001))),
            LearningRateSchedule.Constant, BaseRate, 6, 5);
        for (int step = 0; step < 10; step++)
        {
            Assert.Equal(BaseRate * (step + 1) / 10, ours.RateAt(BaseRate, step / 5, step), 12);
        }

        using var optimizer = Sgd();
        var reference = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 20, 0.001);
        for (int step = 10; step < 30; step++)
        {
            Assert.Equal(TorchRate(optimizer), ours.RateAt(BaseRate, step / 5, step), 9);
            reference.step();
        }
    }

    [Fact]
    public void OneCycleFollowsOneCycleLR()
    {
        const int epochs = 4, steps = 7;
        var ours = new LearningRateScheduler(
            Scheduler("onecycle", ("max_lr", new FloatValue(0.5)), ("pct_start", new FloatValue(0.3)), ("div_factor", new FloatValue(25))),
            LearningRateSchedule.Constant, BaseRate, epochs, steps);
        using var optimizer = Sgd();
        var reference = torch.optim.lr_scheduler.OneCycleLR(optimizer, 0.5, total_steps: epochs * steps, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: false);
        for (int step = 0; step < epochs * steps; step++)
        {
            Assert.Equal(TorchRate(optimizer), ours.RateAt(BaseRate, step / steps, step), 9);
            reference.step();
        }
    }

    [Fact]
    public void PlateauReducesLikeReduceLROnPlateauAndSurvivesASaveAndRestore()
    {
        double[] losses = { 1.0, 0.9, 0.95, 0.9, 0.91, 0.5, 0.6, 0.6, 0.6, 0.6 };
        var ours = new LearningRateScheduler(Scheduler("plateau", ("patience", new IntValue(1)), ("factor", new FloatValue(0.5))), LearningRateSchedule.Constant, BaseRate, 10, 3);
        using var optimizer = Sgd();
        var reference = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "min", factor: 0.5, patience: 1);
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            ours.EpochEnded(losses[epoch]);
            reference.step(losses[epoch]);
            if (epoch == 4)
            {
                var restored = new LearningRateScheduler(Scheduler("plateau", ("patience", new IntValue(1)), ("factor", new FloatValue(0.5))), LearningRateSchedule.Constant, BaseRate, 10, 3);
                restored.RestoreState(ours.SaveState());
                ours = restored;
            }

            Assert.Equal(TorchRate(optimizer), ours.RateAt(BaseRate, epoch + 1, 0), 12);
        }

        Assert.True(ours.RateAt(BaseRate, 10, 0) < BaseRate);
    }

    [Fact]
    public void AWarmUpAsLongAsTheRunIsRefused()
    {
        var error = Assert.Throws<TrainingException>(() =>
            new LearningRateScheduler(Scheduler("cosine", ("warmup_epochs", new IntValue(3)), ("eta_min", new FloatValue(0))), LearningRateSchedule.Constant, BaseRate, 3, 5));
        Assert.Contains("warmup_epochs = 3", error.Message);
    }
}
