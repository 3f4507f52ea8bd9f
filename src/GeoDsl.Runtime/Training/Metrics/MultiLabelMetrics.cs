using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Multi-label scores over a whole pass (TerraTorch's MultiLabelClassificationTask: torchmetrics multilabel F1,
/// precision, recall, accuracy at threshold 0.5): a label is predicted when its sigmoid exceeds 0.5 (logit &gt; 0).
/// Per label, precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·TP / (2·TP + FP + FN); macro scores average
/// over labels that occur in the targets or predictions (undefined values counting 0), micro scores pool the counts;
/// accuracy is the share of (image, label) decisions that are right. Targets equal to the ignore index are left out.
/// </summary>
public sealed record MultiLabelMetrics : TaskMetrics
{
    internal MultiLabelMetrics(ClassCounts counts, long decisions, long correctDecisions)
    {
        LabelCount = counts.Classes.Count;
        LabelPrecision = counts.Precision();
        LabelRecall = counts.Recall();
        LabelF1 = counts.F1();
        MacroPrecision = counts.MeanOverPresent(LabelPrecision);
        MacroRecall = counts.MeanOverPresent(LabelRecall);
        MacroF1 = counts.MeanOverPresent(LabelF1);
        long tp = counts.Correct, fp = counts.Classes.Sum(c => c.FalsePositives), fn = counts.Classes.Sum(c => c.FalseNegatives);
        MicroPrecision = ClassCounts.Ratio(tp, tp + fp);
        MicroRecall = ClassCounts.Ratio(tp, tp + fn);
        MicroF1 = ClassCounts.Ratio(2 * tp, 2 * tp + fp + fn);
        Accuracy = ClassCounts.Ratio(correctDecisions, decisions);
    }

    public int LabelCount { get; }

    public double MacroF1 { get; }

    public double MacroPrecision { get; }

    public double MacroRecall { get; }

    public double MicroF1 { get; }

    public double MicroPrecision { get; }

    public double MicroRecall { get; }

    /// <summary>Right (image, label) decisions / all counted decisions.</summary>
    public double Accuracy { get; }

    public IReadOnlyList<double> LabelPrecision { get; }

    public IReadOnlyList<double> LabelRecall { get; }

    public IReadOnlyList<double> LabelF1 { get; }

    public override string PrimaryName => "macro_F1";

    public override double Primary => MacroF1;

    public override bool HigherIsBetter => true;

    public override IReadOnlyDictionary<string, double> Scalars
    {
        get
        {
            var scalars = new Dictionary<string, double>
            {
                ["macro_F1"] = MacroF1,
                ["macro_precision"] = MacroPrecision,
                ["macro_recall"] = MacroRecall,
                ["micro_F1"] = MicroF1,
                ["micro_precision"] = MicroPrecision,
                ["micro_recall"] = MicroRecall,
                ["accuracy"] = Accuracy,
            };
            for (int c = 0; c < LabelCount; c++)
            {
                scalars[$"F1_{c}"] = LabelF1[c];
            }

            return scalars;
        }
    }
}

/// <summary>Counts TP, FP, FN and TN per label over a pass: logits [B, K] against targets [B, K] of 1, 0 or the ignore index.</summary>
public sealed class MultiLabelMetricAccumulator : IMetricAccumulator
{
    private readonly long ignoreIndex;
    private long[]? counts; // per label: TP, FP, FN, TN

    public MultiLabelMetricAccumulator(long ignoreIndex) => this.ignoreIndex = ignoreIndex;

    public void Add(Tensor output, Tensor target)
    {
        if (output.dim() != 2 || !output.shape.AsSpan().SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"Multi-label scores take logits [B, K] and targets [B, K]; got [{string.Join(", ", output.shape)}] and [{string.Join(", ", target.shape)}].");
        }

        int labels = (int)output.shape[1];
        counts ??= new long[labels * 4];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var counted = target.ne(ignoreIndex);
        var predicted = output.gt(0).logical_and(counted);
        var actual = target.eq(1).logical_and(counted);
        var notPredicted = predicted.logical_not().logical_and(counted);
        var notActual = actual.logical_not().logical_and(counted);
        // sum over the images (an int literal alone would bind to sum(ScalarType)).
        var images = new long[] { 0 };
        var batch = stack(new[]
        {
            predicted.logical_and(actual).sum(images), predicted.logical_and(notActual).sum(images),
            notPredicted.logical_and(actual).sum(images), notPredicted.logical_and(notActual).sum(images),
        }, 1).to(ScalarType.Int64).cpu().data<long>().ToArray();
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += batch[i];
        }
    }

    public TaskMetrics Compute()
    {
        var perLabel = counts ?? Array.Empty<long>();
        int labels = perLabel.Length / 4;
        var classes = Enumerable.Range(0, labels).Select(c => new ClassCount(perLabel[4 * c], perLabel[4 * c + 1], perLabel[4 * c + 2])).ToArray();
        long decisions = perLabel.Sum();
        long correct = Enumerable.Range(0, labels).Sum(c => perLabel[4 * c] + perLabel[4 * c + 3]);
        return new MultiLabelMetrics(new ClassCounts(classes), decisions, correct);
    }

    public double[] SaveState() => counts?.Select(c => (double)c).ToArray() ?? Array.Empty<double>();

    public void RestoreState(double[] state) => counts = state.Length == 0 ? null : state.Select(v => checked((long)v)).ToArray();
}
