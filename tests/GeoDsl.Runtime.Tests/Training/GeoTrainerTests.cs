using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Training.Progress;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class GeoTrainerTests
{
    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off };

    private readonly TinyWaterTraining data;

    public GeoTrainerTests(TinyWaterTraining data) => this.data = data;

    [Fact]
    public void TrainingStepsLowerTheLoss()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { Epochs = 4 });
        Assert.Equal(4, report.Epochs.Count);
        Assert.True(report.Epochs[^1].TrainLoss < report.Epochs[0].TrainLoss,
            $"train loss went from {report.Epochs[0].TrainLoss} to {report.Epochs[^1].TrainLoss}");
        Assert.All(report.Epochs, e => Assert.IsType<SegmentationMetrics>(e.ValidationMetrics));
    }

    [Fact]
    public void TwoRunsWithTheSameSeedGiveIdenticalLosses()
    {
        double[] Run()
        {
            using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
            var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet);
            return report.Epochs.SelectMany(e => new[] { e.TrainLoss, e.ValidationLoss!.Value, e.ValidationMetrics!.Primary }).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void ADifferentRunSeedShufflesDifferently()
    {
        double FirstLoss(int seed)
        {
            using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
            return GeoTrainer.Fit(model, data.Train, null, Quiet with { Epochs = 1, Seed = seed }).Epochs[0].TrainLoss;
        }

        Assert.NotEqual(FirstLoss(1), FirstLoss(2));
    }

    [Fact]
    public void FreezeBackboneLeavesTheBackboneWeightsUnchangedAndTrainsTheRest()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 4, epochs = 1, optimizer = adamw { lr = 0.003, weight_decay = 0.1 }, freeze_backbone = true"));
        var encoderBefore = Snapshot(model.Encoder);
        var decoderBefore = Snapshot(model.Decoder);

        GeoTrainer.Fit(model, data.Train, null, Quiet);

        var encoderAfter = Snapshot(model.Encoder);
        foreach (var (name, before) in encoderBefore)
        {
            Assert.True(before.SequenceEqual(encoderAfter[name]), $"backbone weight {name} changed");
        }

        Assert.Contains(decoderBefore, pair => !pair.Value.SequenceEqual(Snapshot(model.Decoder)[pair.Key]));
        Assert.All(model.Encoder.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void FreezeDecoderLeavesTheDecoderWeightsAndStatisticsUnchanged()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(
            "batch_size = 4, epochs = 1, optimizer = sgd { lr = 0.05, momentum = 0.9, nesterov = true }, freeze_decoder = true"));
        var decoderBefore = Snapshot(model.Decoder);
        var encoderBefore = Snapshot(model.Encoder);

        GeoTrainer.Fit(model, data.Train, null, Quiet);

        var decoderAfter = Snapshot(model.Decoder);
        Assert.All(decoderBefore, pair => Assert.True(pair.Value.SequenceEqual(decoderAfter[pair.Key]), $"decoder state {pair.Key} changed"));
        Assert.Contains(encoderBefore, pair => !pair.Value.SequenceEqual(Snapshot(model.Encoder)[pair.Key]));
    }

    [Fact]
    public void TheBestEpochIsTheOneWithTheHighestHeldOutMeanIoU()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { Epochs = 3 });
        double best = report.Epochs.Max(e => e.ValidationMetrics!.Primary);
        Assert.Equal(best, report.BestEpoch!.ValidationMetrics!.Primary);
        Assert.True(report.Epochs[0].IsBest);
        Assert.True(report.TotalTime > TimeSpan.Zero);
        Assert.All(report.Epochs, e => Assert.True(e.SamplesPerSecond > 0));
    }

    [Fact]
    public void OptionsOverrideTheTrainBlockAndTheEpochCallbackSeesEveryEpoch()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var seen = new List<int>();
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with
        {
            Epochs = 3,
            BatchSize = 8,
            LearningRate = 0.01,
            EpochCompleted = summary => seen.Add(summary.Epoch),
        });
        Assert.Equal(new[] { 1, 2, 3 }, seen);
        Assert.All(report.Epochs, e => Assert.Equal(0.01, e.LearningRate, 12));
    }

    [Fact]
    public void CosineScheduleLowersTheLearningRateEachEpoch()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, null, Quiet with { Epochs = 3, Schedule = LearningRateSchedule.Cosine });
        var rates = report.Epochs.Select(e => e.LearningRate).ToArray();
        Assert.Equal(0.003, rates[0], 12);
        Assert.True(rates[1] < rates[0] && rates[2] < rates[1]);
    }

    [Fact]
    public void AnOutputFolderGetsTheHistoryAndTheBestWeights()
    {
        string output = data.Scratch("run-" + Guid.NewGuid().ToString("N"));
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { OutputFolder = output });

        var lines = File.ReadAllLines(Path.Combine(output, "history.csv"));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch,train_loss,val_loss,", lines[0]);
        Assert.Contains("val_mIoU", lines[0]);
        Assert.Equal(Path.Combine(output, "best.safetensors"), report.BestWeightsPath);
        Assert.True(File.Exists(report.BestWeightsPath));
    }

    [Fact]
    public void AuxiliaryHeadLossesAreAddedWithTheirWeight()
    {
        string aux = "aux_head aux { decoder fcn { channels = 8, num_convs = 1 }, weight = 0.4 }";
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText(extra: aux));
        var objective = ModelObjective.For(model.Spec);
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            model.eval();
            using var batch = data.Train.GetBatch(new[] { 0, 1 });
            var output = model.Predict(batch.Images);
            double main = objective.Loss.Compute(output.Output, batch.Masks).item<float>();
            double auxiliary = objective.Loss.Compute(output.Auxiliary["aux"], batch.Masks).item<float>();
            Assert.Equal(main + 0.4 * auxiliary, objective.Compute(output, batch.Masks).item<float>(), 5);
        }

        var report = GeoTrainer.Fit(model, data.Train, null, Quiet with { Epochs = 1 });
        Assert.Single(report.Epochs);
    }

    [Fact]
    public void TrainingWorksEvenWhenCalledWhereGradientsAreOff()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        using var noGrad = torch.no_grad();
        var report = GeoTrainer.Fit(model, data.Train, null, Quiet with { Epochs = 1 });
        Assert.Single(report.Epochs);
    }

    [Fact]
    public void ADataSetWithAnotherIgnoreIndexIsRefusedWithBothValues()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var other = new GeoDsl.Runtime.Data.GeoTiffChipDataset(data.Train.Options with { IgnoreIndex = 255 });
        var error = Assert.Throws<TrainingException>(() => GeoTrainer.Fit(model, other, null, Quiet));
        Assert.Contains("255", error.Message);
        Assert.Contains("ignore_index", error.Message);
    }

    [Fact]
    public void ACancelledRunStopsBeforeTheNextStep()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        using var cancellation = new System.Threading.CancellationTokenSource();
        cancellation.Cancel();
        var report = GeoTrainer.Fit(model, data.Train, data.HeldOut, Quiet with { Cancellation = cancellation.Token });
        Assert.True(report.Cancelled);
        Assert.Empty(report.Epochs);
        Assert.Null(report.BestEpoch);
    }

    [Fact]
    public void EvaluateScoresAWholeDataSet()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.ModelText());
        var (loss, metrics) = GeoTrainer.Evaluate(model, data.HeldOut, Quiet);
        Assert.True(double.IsFinite(loss));
        var scores = Assert.IsType<SegmentationMetrics>(metrics);
        Assert.Equal(data.HeldOut.Pairs.Sum(p => CountLabelled(p.MaskPath)), scores.PixelCount);
    }

    [Fact]
    public void AModelWithoutATrainBlockTrainsWithTheCatalogDefaults()
    {
        string text = TinyWaterTraining.ModelText().Replace("train { batch_size = 4, epochs = 2, optimizer = adamw { lr = 0.003, weight_decay = 0.01 }, loss = ce, seed = 7 }", "");
        using var model = TinyWaterTraining.Build(text);
        var settings = TrainingSettings.Resolve(model.Spec, new TrainingOptions());
        Assert.Equal("adamw", settings.Optimizer);
        Assert.Equal("ce", settings.Loss);
        Assert.True(settings.LearningRate > 0);
    }

    private static Dictionary<string, float[]> Snapshot(torch.nn.Module module) =>
        module.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.to(torch.float32).data<float>().ToArray());

    private static long CountLabelled(string maskPath)
    {
        var mask = GeoDsl.Runtime.Data.GeoTiff.GeoTiffReader.Read(maskPath);
        long count = 0;
        foreach (float value in mask.Band(0))
        {
            count += mask.IsNoData(value) ? 0 : 1;
        }

        return count;
    }
}
