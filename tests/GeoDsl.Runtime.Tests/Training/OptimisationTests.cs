using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>The train block's optimisation settings, seen in what they do to the weights.</summary>
[Collection(TrainingCollection.Name)]
public sealed class OptimisationTests
{
    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off, WriteCurves = false };

    private readonly TinyWaterTraining data;

    public OptimisationTests(TinyWaterTraining data) => this.data = data;

    private static Tensor Flat(nn.Module module) => cat(module.parameters().Select(p => p.detach().reshape(-1).clone()).ToArray());

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void AccumulatedBatchesShareOneOptimizerStep(int accumulate, bool unchangedAtBatchTwo)
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            $"batch_size = 2, epochs = 1, optimizer = adamw {{ lr = 0.003 }}, accumulate_grad_batches = {accumulate}"));
        var initial = Flat(model.Decoder);
        var unchangedAt = new Dictionary<int, bool>();
        GeoTrainer.Fit(model, data.Train, null, Quiet with
        {
            StepCompleted = step => unchangedAt[step.GlobalBatch] = Flat(model.Decoder).allclose(initial, rtol: 0, atol: 0),
        });

        // The callback runs after a batch's backward pass and before any optimizer step that batch ends.
        Assert.True(unchangedAt[1]);
        Assert.Equal(unchangedAtBatchTwo, unchangedAt[2]);
        Assert.False(unchangedAt[3]);
    }

    [Fact]
    public void ClippingBoundsTheUpdateOfAnSgdStepByTheRateTimesTheClipValue()
    {
        // One SGD step (8 chips in one batch) without momentum: Δw = −lr·g, and clipping caps ‖g‖ at 0.001.
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 8, epochs = 1, optimizer = sgd { lr = 1.0, momentum = 0.0 }, gradient_clip_val = 0.001"));
        var before = Flat(model);
        GeoTrainer.Fit(model, data.Train, null, Quiet);
        double change = (Flat(model) - before).norm().item<float>();
        Assert.InRange(change, 1e-5, 0.001 * 1.001);
    }

    [Fact]
    public void AStageLearningRateAppliesToThatStageOnly()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 4, epochs = 1, optimizer = adamw { lr = 0.003, weight_decay = 0.0 }, backbone_lr = 1e-9"));
        var backbone = Flat(model.Encoder);
        var decoder = Flat(model.Decoder);
        GeoTrainer.Fit(model, data.Train, null, Quiet);
        // Adam's first steps move each weight by about its group's rate.
        Assert.InRange((Flat(model.Encoder) - backbone).abs().max().item<float>(), 1e-12, 1e-8);
        Assert.True((Flat(model.Decoder) - decoder).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void AdamW8bitIsRefusedAtTheStartWithTheReason()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText("batch_size = 4, epochs = 1, optimizer = adamw8bit { lr = 0.001 }"));
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(model, data.Train, null, Quiet));
        Assert.Contains("bitsandbytes", error.Message);
        Assert.Contains("optimizer = adamw", error.Message);
    }

    [Fact]
    public void Bf16PrecisionTrainsTheWeightsInBfloat16()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText("batch_size = 4, epochs = 1, precision = bf16, optimizer = adamw { lr = 0.003 }"));
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet);
        Assert.Equal(ScalarType.BFloat16, model.Decoder.parameters().First().dtype);
        Assert.True(double.IsFinite(report.Epochs[0].TrainLoss));
        Assert.True(double.IsFinite(report.Epochs[0].ValidationLoss!.Value));
    }
}
