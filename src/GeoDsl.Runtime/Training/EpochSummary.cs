using System;
using GeoDsl.Runtime.Training.Metrics;

namespace GeoDsl.Runtime.Training;

/// <summary>One epoch: its losses, its scores on the training and validation chips, and how fast it went.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Epochs">The number of epochs the run was asked for.</param>
/// <param name="TrainLoss">Mean loss over the training chips (each step weighted by its batch size), auxiliary losses included.</param>
/// <param name="ValidationLoss">Mean loss over the validation chips in evaluation mode; null without validation data.</param>
/// <param name="TrainMetrics">Scores of the predictions made while training (the model changing as it goes).</param>
/// <param name="ValidationMetrics">Scores over the whole validation set, from one accumulated confusion matrix.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
/// <param name="SamplesPerSecond">Training chips per second of training (validation excluded).</param>
/// <param name="LearningRate">The learning rate the epoch trained with.</param>
/// <param name="IsBest">Whether this epoch is the best so far by the validation primary score (or training loss without validation).</param>
public sealed record EpochSummary(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double? ValidationLoss,
    TaskMetrics TrainMetrics,
    TaskMetrics? ValidationMetrics,
    TimeSpan Elapsed,
    double SamplesPerSecond,
    double LearningRate,
    bool IsBest)
{
    /// <summary>The validation scores as segmentation scores, when the model segments and there is validation data.</summary>
    public SegmentationMetrics? ValidationSegmentation => ValidationMetrics as SegmentationMetrics;
}
