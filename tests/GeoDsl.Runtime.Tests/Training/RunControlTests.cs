using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Data;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Weights;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>How a run ends: early stopping, and diverging without losing the last good checkpoint.</summary>
[Collection(TrainingCollection.Name)]
public sealed class RunControlTests
{
    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off, WriteCurves = false };

    private readonly TinyWaterTraining data;

    public RunControlTests(TinyWaterTraining data) => this.data = data;

    [Fact]
    public void EarlyStoppingEndsTheRunAfterPatienceEpochsWithoutABetterScore()
    {
        // A rate so small the predictions, and so the validation mIoU, cannot change: epoch 1 stays the best.
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 4, epochs = 5, optimizer = adamw { lr = 1e-12 }, early_stopping_patience = 1"));
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet);

        Assert.True(report.StoppedEarly);
        Assert.Equal(2, report.Epochs.Count);
        Assert.Equal(1, report.BestEpoch!.Epoch);
    }

    [Fact]
    public void WeightsThatStopBeingFiniteEndTheRunAndKeepTheLastGoodCheckpoint()
    {
        string output = data.Scratch("diverge-" + Guid.NewGuid().ToString("N"));
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText("batch_size = 2, epochs = 1, optimizer = adamw { lr = 0.003 }"));
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(model, data.Train, null, Quiet with
        {
            OutputFolder = output,
            CheckpointEverySteps = 1,
            StepCompleted = step =>
            {
                if (step.GlobalBatch == 2)
                {
                    // Stands in for an overflowing update: one weight of the head becomes NaN before step 2.
                    using var noGrad = torch.no_grad();
                    model.Head!.parameters().First().view(-1)[0] = float.NaN;
                }
            },
        }));

        string checkpoint = Path.Combine(output, TrainingCheckpoint.LastFileName);
        Assert.Contains("optimizer step 2", error.Message);
        Assert.Contains(checkpoint, error.Message);
        Assert.Equal(1, TrainingCheckpoint.ReadState(checkpoint).OptimizerStep);
        using var fresh = TinyWaterTraining.Build(TinyWaterTraining.ModelText("batch_size = 2, epochs = 1, optimizer = adamw { lr = 0.003 }"));
        var resumed = GeoTrainer.Fit(fresh, data.Train, null, Quiet with { ResumeFrom = checkpoint });
        Assert.All(resumed.Steps, s => Assert.True(double.IsFinite(s.Loss)));
        Assert.Equal(3, resumed.Steps.Count);
    }

    [Fact]
    public void ANonFiniteLossNamesTheBatchAndItsSamples()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.TaskModelText("classification", "classification { num_classes = 2 }",
            "batch_size = 2, epochs = 1, optimizer = adamw { lr = 0.003 }"));
        var images = TinyWaterTraining.Images(2, 5);
        images[0, 0, 0, 0] = float.PositiveInfinity;
        var data = new TensorTrainingData(images, torch.tensor(new long[] { 0, 1 }), name: "scene");
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(model, data, null, Quiet));
        Assert.Contains("loss became NaN at epoch 1, batch 1", error.Message);
        Assert.Contains("scene[0]", error.Message);
    }
}
