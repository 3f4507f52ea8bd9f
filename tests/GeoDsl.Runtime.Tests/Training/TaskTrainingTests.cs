using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Data;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Training.Progress;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Training;

/// <summary>The model's kind and loss pick the task: its targets, loss and epoch metrics.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TaskTrainingTests
{
    private static readonly TrainingOptions Quiet = new() { Progress = TrainingProgressMode.Off };

    [Fact]
    public void AClassificationModelTrainsOnImageLabelsAndIsScoredByAccuracy()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.TaskModelText("classification", "classification { num_classes = 3 }",
            "batch_size = 4, epochs = 2, optimizer = adamw { lr = 0.003 }, loss = ce"));
        Assert.Equal(TrainingTask.Classification, TrainingTasks.Of(model.Spec));
        var train = new TensorTrainingData(TinyWaterTraining.Images(8, 1), tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, -1 }));
        var held = new TensorTrainingData(TinyWaterTraining.Images(5, 2), tensor(new long[] { 2, 1, 0, -1, 1 }));

        var report = GeoTrainer.Fit(model, train, held, Quiet);

        var scores = Assert.IsType<ClassificationMetrics>(report.Epochs[^1].ValidationMetrics);
        Assert.Equal(4, scores.SampleCount); // the image labelled −1 is not scored
        Assert.InRange(scores.Accuracy, 0, 1);
        Assert.All(report.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
    }

    [Fact]
    public void AClassificationModelWithBceIsMultiLabelAndScoredByF1()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.TaskModelText("classification", "classification { num_classes = 3 }",
            "batch_size = 4, epochs = 1, optimizer = adamw { lr = 0.003 }, loss = bce"));
        Assert.Equal(TrainingTask.MultiLabelClassification, TrainingTasks.Of(model.Spec));
        var labels = tensor(new float[] { 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0 }).reshape(4, 3);
        var data = new TensorTrainingData(TinyWaterTraining.Images(4, 3), labels);

        var report = GeoTrainer.Fit(model, data, data, Quiet);

        var scores = Assert.IsType<MultiLabelMetrics>(report.Epochs[0].ValidationMetrics);
        Assert.Equal(3, scores.LabelCount);
        Assert.InRange(scores.Accuracy, 0, 1);
    }

    [Fact]
    public void ARegressionModelLearnsPerPixelValuesWithNodataMaskedAndIsScoredByRmse()
    {
        using var model = TinyWaterTraining.Build(TinyWaterTraining.TaskModelText("regression", "regression",
            "batch_size = 4, epochs = 3, optimizer = adamw { lr = 0.003 }, loss = rmse"));
        Assert.Equal(TrainingTask.PixelRegression, TrainingTasks.Of(model.Spec));
        var images = TinyWaterTraining.Images(8, 4);
        // The target is a smooth function of the image (mean over bands), with a nodata corner.
        var targets = images.mean(new long[] { 1 }).clone();
        targets[TensorIndex.Colon, TensorIndex.Slice(0, 4), TensorIndex.Slice(0, 4)] = float.NaN;
        var data = new TensorTrainingData(images, targets);

        var report = GeoTrainer.Fit(model, data, data, Quiet);

        var scores = Assert.IsType<RegressionMetrics>(report.Epochs[^1].ValidationMetrics);
        Assert.Equal(8 * (32 * 32 - 16), scores.PixelCount);
        Assert.True(double.IsFinite(scores.Rmse) && double.IsFinite(scores.RSquared));
        Assert.True(report.Epochs[^1].TrainLoss < report.Epochs[0].TrainLoss, $"rmse went from {report.Epochs[0].TrainLoss} to {report.Epochs[^1].TrainLoss}");
    }
}
