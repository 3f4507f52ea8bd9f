using GeoDsl.Composition.Specs;

namespace GeoDsl.Runtime.Training;

/// <summary>What a model learns, which decides its targets, losses and metrics (TerraTorch's task classes).</summary>
public enum TrainingTask
{
    /// <summary>A class per pixel: logits [B, K, H, W], labels [B, H, W] (SemanticSegmentationTask).</summary>
    Segmentation,

    /// <summary>A value per pixel: output [B, 1, H, W], targets [B, H, W] (PixelwiseRegressionTask).</summary>
    PixelRegression,

    /// <summary>One class per image: logits [B, K], labels [B] (ClassificationTask).</summary>
    Classification,

    /// <summary>Any number of classes per image: logits [B, K], multi-hot targets [B, K] (MultiLabelClassificationTask).</summary>
    MultiLabelClassification,
}

public static class TrainingTasks
{
    /// <summary>
    /// The task of a model: its kind, and for a classification model its loss — <c>bce</c> scores each class on its
    /// own (multi-label), the other losses pick one class per image.
    /// </summary>
    public static TrainingTask Of(ModelSpec spec) => Of(spec.Task, spec.Train.Loss);

    public static TrainingTask Of(ModelTask kind, string loss) => kind switch
    {
        ModelTask.Regression => TrainingTask.PixelRegression,
        ModelTask.Classification when loss == "bce" => TrainingTask.MultiLabelClassification,
        ModelTask.Classification => TrainingTask.Classification,
        _ => TrainingTask.Segmentation,
    };
}
