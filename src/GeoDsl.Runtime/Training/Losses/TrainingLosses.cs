using System;
using System.Collections.Generic;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>The loss a <c>train { }</c> block names, with its ignore index and class weights, for the model's task.</summary>
public static class TrainingLosses
{
    public static TrainingLoss For(ModelTask task, TrainSpec train) => For(TrainingTasks.Of(task, train.Loss), train);

    public static TrainingLoss For(TrainingTask task, TrainSpec train) => task switch
    {
        TrainingTask.Segmentation => Segmentation(train.Loss, train.IgnoreIndex, train.ClassWeights),
        TrainingTask.Classification => new ImageLabelLoss(Segmentation(train.Loss, train.IgnoreIndex, train.ClassWeights)),
        TrainingTask.MultiLabelClassification => new BinaryCrossEntropyLoss(train.IgnoreIndex),
        TrainingTask.PixelRegression => Regression(train.Loss, train.IgnoreIndex),
        _ => throw new NotSupportedException($"No losses for {task}."),
    };

    public static TrainingLoss Segmentation(string name, long ignoreIndex, IReadOnlyList<double>? classWeights = null)
    {
        bool weighted = classWeights is { Count: > 0 };
        if (weighted && name != "ce")
        {
            throw new NotSupportedException($"class_weights apply to the ce loss only (as in TerraTorch); the train block asks for '{name}'.");
        }

        return name switch
        {
            "ce" => new CrossEntropyLoss(ignoreIndex, classWeights),
            "dice" => new DiceLoss(ignoreIndex),
            "jaccard" => new JaccardLoss(ignoreIndex),
            "focal" => new FocalLoss(ignoreIndex),
            "lovasz" => new LovaszSoftmaxLoss(ignoreIndex),
            _ => throw new NotSupportedException($"Unknown segmentation loss '{name}'; use ce, dice, focal, jaccard or lovasz."),
        };
    }

    public static TrainingLoss Regression(string name, long ignoreIndex) => name switch
    {
        "mse" => new MaskedRegressionLoss(RegressionLossKind.Mse, ignoreIndex),
        "mae" => new MaskedRegressionLoss(RegressionLossKind.Mae, ignoreIndex),
        "rmse" => new MaskedRegressionLoss(RegressionLossKind.Rmse, ignoreIndex),
        "huber" => new MaskedRegressionLoss(RegressionLossKind.Huber, ignoreIndex),
        _ => throw new NotSupportedException($"Unknown regression loss '{name}'; use mse, mae, rmse or huber."),
    };
}
