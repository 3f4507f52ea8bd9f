using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Segmentation scores from a <see cref="ConfusionMatrix"/>, as TerraTorch reports them (torchmetrics' multiclass
/// Jaccard index, F1 and accuracy): per-class IoU = TP / (TP + FP + FN); mIoU is the mean of the per-class IoUs over
/// the classes that occur (in the labels or the predictions), so a class absent from a held-out set neither counts as
/// 0 nor as 1; micro IoU pools TP, FP and FN over the classes; pixel accuracy is the share of counted pixels predicted
/// right; F1 per class = 2·TP / (2·TP + FP + FN). Scores of absent classes are NaN.
/// </summary>
public sealed record SegmentationMetrics : TaskMetrics
{
    private SegmentationMetrics(
        int classCount, long pixelCount, double meanIoU, double microIoU, double pixelAccuracy, double meanF1,
        IReadOnlyList<double> classIoU, IReadOnlyList<double> classF1, IReadOnlyList<bool> classPresent)
    {
        ClassCount = classCount;
        PixelCount = pixelCount;
        MeanIoU = meanIoU;
        MicroIoU = microIoU;
        PixelAccuracy = pixelAccuracy;
        MeanF1 = meanF1;
        ClassIoU = classIoU;
        ClassF1 = classF1;
        ClassPresent = classPresent;
    }

    public int ClassCount { get; }

    /// <summary>Pixels scored (ignored pixels excluded).</summary>
    public long PixelCount { get; }

    /// <summary>Mean of <see cref="ClassIoU"/> over the classes present (macro average); NaN when no pixel was scored.</summary>
    public double MeanIoU { get; }

    /// <summary>ΣTP / Σ(TP + FP + FN) over all classes.</summary>
    public double MicroIoU { get; }

    /// <summary>Correct pixels / scored pixels.</summary>
    public double PixelAccuracy { get; }

    /// <summary>Mean of <see cref="ClassF1"/> over the classes present.</summary>
    public double MeanF1 { get; }

    /// <summary>
    /// Mean of <see cref="ClassAccuracy"/> over the classes present, a class only predicted counting 0 (TerraTorch's
    /// "Accuracy", torchmetrics' macro multiclass accuracy); <see cref="PixelAccuracy"/> is the micro one.
    /// </summary>
    public double MeanAccuracy { get; private init; }

    /// <summary>Per class, the share of its pixels predicted as it (its recall); NaN for a class without labelled pixels.</summary>
    public IReadOnlyList<double> ClassAccuracy { get; private init; } = System.Array.Empty<double>();

    /// <summary>IoU of each class; NaN for a class that occurs neither in the labels nor in the predictions.</summary>
    public IReadOnlyList<double> ClassIoU { get; }

    /// <summary>F1 (Dice) of each class; NaN for a class that occurs neither in the labels nor in the predictions.</summary>
    public IReadOnlyList<double> ClassF1 { get; }

    /// <summary>Whether each class occurs in the labels or the predictions.</summary>
    public IReadOnlyList<bool> ClassPresent { get; }

    public override string PrimaryName => "mIoU";

    public override double Primary => MeanIoU;

    public override bool HigherIsBetter => true;

    public override IReadOnlyDictionary<string, double> Scalars
    {
        get
        {
            var scalars = new Dictionary<string, double>
            {
                ["mIoU"] = MeanIoU,
                ["micro_IoU"] = MicroIoU,
                ["pixel_accuracy"] = PixelAccuracy,
                ["mean_F1"] = MeanF1,
                ["accuracy"] = MeanAccuracy,
            };
            for (int c = 0; c < ClassCount; c++)
            {
                scalars[$"IoU_{c}"] = ClassIoU[c];
                scalars[$"F1_{c}"] = ClassF1[c];
                scalars[$"accuracy_{c}"] = ClassAccuracy[c];
            }

            return scalars;
        }
    }

    public static SegmentationMetrics From(ConfusionMatrix matrix)
    {
        var counts = ClassCounts.Of(matrix);
        var iou = counts.IoU();
        var f1 = counts.F1();
        var accuracy = counts.Recall();
        var present = counts.Classes.Select(c => c.Present).ToArray();
        long total = matrix.Total;
        long correct = counts.Correct;
        long wrong = counts.Classes.Sum(c => c.FalsePositives + c.FalseNegatives);
        double micro = correct + wrong > 0 ? (double)correct / (correct + wrong) : double.NaN;
        double pixelAccuracy = total > 0 ? (double)correct / total : double.NaN;
        return new SegmentationMetrics(matrix.ClassCount, total, counts.MeanOverPresent(iou), micro, pixelAccuracy, counts.MeanOverPresent(f1),
            iou, f1, present)
        {
            MeanAccuracy = counts.MeanOverPresent(accuracy),
            ClassAccuracy = accuracy,
        };
    }

    /// <summary>"mIoU 0.8123 (0.9512 / 0.6734)": the mean and the per-class IoUs, absent classes as "–".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"mIoU {MeanIoU:F4} ({string.Join(" / ", ClassIoU.Select(v => double.IsNaN(v) ? "–" : v.ToString("F4", CultureInfo.InvariantCulture)))})");
}
