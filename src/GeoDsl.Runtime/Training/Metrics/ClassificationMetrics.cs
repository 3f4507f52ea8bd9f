using System.Collections.Generic;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Image classification scores from a <see cref="ConfusionMatrix"/> of images, as TerraTorch's ClassificationTask
/// reports them (torchmetrics multiclass Accuracy micro and macro, F1, Precision, Recall): overall accuracy is the
/// share of images classified right; per class, precision = TP / (TP + FP), recall (the class's accuracy) =
/// TP / (TP + FN), F1 = 2·TP / (2·TP + FP + FN); macro scores average over the classes that occur in the labels or
/// the predictions, a class's undefined precision or recall (no prediction, no label) counting as 0 there.
/// </summary>
public sealed record ClassificationMetrics : TaskMetrics
{
    private ClassificationMetrics(ConfusionMatrix matrix)
    {
        int k = matrix.ClassCount;
        var counts = ClassCounts.Of(matrix);
        ClassCount = k;
        SampleCount = matrix.Total;
        ClassPrecision = counts.Precision();
        ClassRecall = counts.Recall();
        ClassF1 = counts.F1();
        Accuracy = ClassCounts.Ratio(counts.Correct, matrix.Total);
        MacroAccuracy = counts.MeanOverPresent(ClassRecall);
        MacroPrecision = counts.MeanOverPresent(ClassPrecision);
        MacroF1 = counts.MeanOverPresent(ClassF1);
    }

    public int ClassCount { get; }

    /// <summary>Images scored (those labelled with the ignore index excluded).</summary>
    public long SampleCount { get; }

    /// <summary>Correct images / scored images (micro accuracy).</summary>
    public double Accuracy { get; }

    /// <summary>Mean per-class recall (torchmetrics' macro accuracy).</summary>
    public double MacroAccuracy { get; }

    public double MacroPrecision { get; }

    public double MacroF1 { get; }

    /// <summary>Precision of each class; NaN where the class was never predicted.</summary>
    public IReadOnlyList<double> ClassPrecision { get; }

    /// <summary>Recall (per-class accuracy) of each class; NaN where the class never occurs in the labels.</summary>
    public IReadOnlyList<double> ClassRecall { get; }

    /// <summary>F1 of each class; NaN where the class occurs neither in the labels nor in the predictions.</summary>
    public IReadOnlyList<double> ClassF1 { get; }

    public override string PrimaryName => "accuracy";

    public override double Primary => Accuracy;

    public override bool HigherIsBetter => true;

    public override IReadOnlyDictionary<string, double> Scalars
    {
        get
        {
            var scalars = new Dictionary<string, double>
            {
                ["accuracy"] = Accuracy,
                ["macro_accuracy"] = MacroAccuracy,
                ["macro_precision"] = MacroPrecision,
                ["macro_F1"] = MacroF1,
            };
            for (int c = 0; c < ClassCount; c++)
            {
                scalars[$"recall_{c}"] = ClassRecall[c];
                scalars[$"F1_{c}"] = ClassF1[c];
            }

            return scalars;
        }
    }

    public static ClassificationMetrics From(ConfusionMatrix matrix) => new(matrix);
}
