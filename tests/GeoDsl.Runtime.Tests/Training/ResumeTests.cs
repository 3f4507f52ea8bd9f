using System.Threading;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;

namespace GeoDsl.Runtime.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class ResumeTests
{
    // 8 chips in batches of 2: 4 batches an epoch, 8 over the run; dropout-free model, so only the checkpoint carries state.
    private const string Train = "batch_size = 2, epochs = 2, optimizer = adamw { lr = 0.003, weight_decay = 0.01 }, loss = ce, seed = 7, scheduler = onecycle { max_lr = 0.01 }";

    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off, WriteCurves = false };

    private readonly TinyWaterTraining data;

    public ResumeTests(TinyWaterTraining data) => this.data = data;

    [Fact]
    public void ARunStoppedMidEpochAndResumedTakesTheSameStepsAsAnUninterruptedRun()
    {
        var uninterrupted = new List<StepRecord>();
        using (var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train)))
        {
            GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { StepCompleted = uninterrupted.Add });
        }

        string output = data.Scratch("resume-" + Guid.NewGuid().ToString("N"));
        var beforeStop = new List<StepRecord>();
        using var stop = new CancellationTokenSource();
        using (var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train)))
        {
            var stopped = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with
            {
                OutputFolder = output,
                Cancellation = stop.Token,
                StepCompleted = step =>
                {
                    beforeStop.Add(step);
                    if (step.GlobalBatch == 3)
                    {
                        stop.Cancel(); // mid-epoch: the run stops before batch 4 of epoch 1
                    }
                },
            });
            Assert.True(stopped.Cancelled);
            Assert.Empty(stopped.Epochs);
            Assert.Equal(Path.Combine(output, TrainingCheckpoint.LastFileName), stopped.LastCheckpointPath);
        }

        var state = TrainingCheckpoint.ReadState(Path.Combine(output, TrainingCheckpoint.LastFileName));
        Assert.Equal((0, 3, 3), (state.Epoch, state.BatchesDone, state.OptimizerStep));

        // A fresh process would build the model with other weights: the checkpoint must replace them all.
        TrainingReport resumed;
        using (var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train), seed: 99))
        {
            resumed = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { OutputFolder = output, ResumeFrom = output });
        }

        var combined = beforeStop.Concat(resumed.Steps).ToList();
        Assert.Equal(uninterrupted.Select(s => s.GlobalBatch), combined.Select(s => s.GlobalBatch));
        Assert.Equal(uninterrupted.Select(s => s.Loss), combined.Select(s => s.Loss));
        Assert.Equal(uninterrupted.Select(s => s.LearningRate), combined.Select(s => s.LearningRate));
        Assert.Equal(2, resumed.Epochs.Count);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(output, "steps.csv")).Length); // header + 8 batches, none twice
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "history.csv")).Length);
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
    }

    [Fact]
    public void ResumingWithOtherSettingsIsRefusedWithBothSettings()
    {
        string output = data.Scratch("resume-other-" + Guid.NewGuid().ToString("N"));
        using (var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train)))
        {
            GeoTrainer.Fit(model, data.Train, null, Quiet with { OutputFolder = output, Epochs = 1 });
        }

        using var other = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train));
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(other, data.Train, null, Quiet with { ResumeFrom = output, Epochs = 1, BatchSize = 4 }));
        Assert.Contains("batch 2", error.Message);
        Assert.Contains("batch 4", error.Message);
        Assert.Contains(TrainingCheckpoint.LastFileName, error.Message);
    }

    [Fact]
    public void ATruncatedCheckpointIsReportedByNameAndNotLoaded()
    {
        string output = data.Scratch("resume-truncated-" + Guid.NewGuid().ToString("N"));
        using (var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train)))
        {
            GeoTrainer.Fit(model, data.Train, null, Quiet with { OutputFolder = output, Epochs = 1 });
        }

        string checkpoint = Path.Combine(output, TrainingCheckpoint.LastFileName);
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes.AsSpan(0, 20).ToArray());
        using var other = TinyWaterTraining.Build(TinyWaterTraining.ModelText(Train));
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(other, data.Train, null, Quiet with { ResumeFrom = checkpoint, Epochs = 1 }));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains("truncated", error.Message);
    }
}
