using System;
using System.Collections.Generic;
using System.Linq;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>One class's true positives, false positives and false negatives.</summary>
internal readonly record struct ClassCount(long TruePositives, long FalsePositives, long FalseNegatives)
{
    /// <summary>Whether the class occurs in the labels or the predictions.</summary>
    public bool Present => TruePositives + FalsePositives + FalseNegatives > 0;
}

/// <summary>The per-class counts of a confusion matrix (or of multi-label decisions), and the averages every task's scores share.</summary>
internal sealed class ClassCounts
{
    private readonly ClassCount[] classes;

    public ClassCounts(ClassCount[] classes) => this.classes = classes;

    public long Correct => classes.Sum(c => c.TruePositives);

    public IReadOnlyList<ClassCount> Classes => classes;

    public static ClassCounts Of(ConfusionMatrix matrix)
    {
        int k = matrix.ClassCount;
        var classes = new ClassCount[k];
        for (int c = 0; c < k; c++)
        {
            long fn = 0, fp = 0;
            for (int other = 0; other < k; other++)
            {
                if (other != c)
                {
                    fn += matrix[c, other];
                    fp += matrix[other, c];
                }
            }

            classes[c] = new ClassCount(matrix[c, c], fp, fn);
        }

        return new ClassCounts(classes);
    }

    public double[] Per(Func<ClassCount, double> score) => classes.Select(score).ToArray();

    /// <summary>TP / (TP + FP) per class; NaN where the class was never predicted.</summary>
    public double[] Precision() => Per(c => Ratio(c.TruePositives, c.TruePositives + c.FalsePositives));

    /// <summary>TP / (TP + FN) per class (its accuracy); NaN where the class never occurs in the truth.</summary>
    public double[] Recall() => Per(c => Ratio(c.TruePositives, c.TruePositives + c.FalseNegatives));

    /// <summary>2·TP / (2·TP + FP + FN) per class; NaN where the class is absent from truth and predictions.</summary>
    public double[] F1() => Per(c => Ratio(2 * c.TruePositives, 2 * c.TruePositives + c.FalsePositives + c.FalseNegatives));

    /// <summary>TP / (TP + FP + FN) per class; NaN where the class is absent from truth and predictions.</summary>
    public double[] IoU() => Per(c => Ratio(c.TruePositives, c.TruePositives + c.FalsePositives + c.FalseNegatives));

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>, NaN for 0 / 0.</summary>
    public static double Ratio(long numerator, long denominator) => denominator > 0 ? (double)numerator / denominator : double.NaN;

    /// <summary>The mean of <paramref name="values"/> over the present classes, NaN counting as 0; NaN when no class is present.</summary>
    public double MeanOverPresent(IReadOnlyList<double> values)
    {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            if (classes[c].Present)
            {
                sum += double.IsNaN(values[c]) ? 0 : values[c];
                count++;
            }
        }

        return count > 0 ? sum / count : double.NaN;
    }
}
