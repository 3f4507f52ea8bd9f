using System;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>The loss a <c>train { }</c> block names, with its ignore index and class weights.</summary>
public static class TrainingLosses
{
    public static TrainingLoss For(ModelTask task, TrainSpec train) => task switch
    {
        ModelTask.Segmentation => Segmentation(train.Loss, train.IgnoreIndex, train.ClassWeights),
        _ => throw new NotSupportedException(
            $"Training {task.ToString().ToLowerInvariant()} models is not implemented yet; GeoTrainer trains segmentation models."),
    };

    public static TrainingLoss Segmentation(string name, long ignoreIndex, System.Collections.Generic.IReadOnlyList<double>? classWeights = null)
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
}
