using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Metrics;

/// <summary>
/// Pixel counts by (true class, predicted class) over everything added, with pixels labelled with the ignore index
/// left out. Every segmentation score is a function of this matrix, so accumulating it over an epoch and scoring
/// once gives exact epoch scores, whatever the batch sizes.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    public ConfusionMatrix(int classCount, long ignoreIndex = -1)
    {
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A confusion matrix needs at least one class.");
        }

        ClassCount = classCount;
        IgnoreIndex = ignoreIndex;
        counts = new long[classCount * classCount];
    }

    public int ClassCount { get; }

    /// <summary>The label of pixels that are not counted (cloud, no data).</summary>
    public long IgnoreIndex { get; }

    /// <summary>Pixels of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => counts[Index(truth, predicted)];

    /// <summary>All counted pixels.</summary>
    public long Total => counts.Sum();

    /// <summary>Adds <paramref name="pixels"/> pixels of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public void Add(int truth, int predicted, long pixels = 1)
    {
        if (pixels < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pixels), pixels, "A pixel count cannot be negative.");
        }

        counts[Index(truth, predicted)] += pixels;
    }

    /// <summary>Adds a batch of logits [B, K, H, W] (the prediction is the arg-max over K) against labels [B, H, W].</summary>
    public void AddLogits(Tensor logits, Tensor labels)
    {
        if (logits.dim() < 2 || logits.shape[1] != ClassCount)
        {
            throw new ArgumentException(
                $"Expected logits with {ClassCount} classes in dimension 1, got [{string.Join(", ", logits.shape)}].", nameof(logits));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        AddLabels(logits.argmax(1), labels);
    }

    /// <summary>Adds predicted labels against true labels of the same shape (any shape).</summary>
    public void AddLabels(Tensor predicted, Tensor truth)
    {
        if (!predicted.shape.SequenceEqual(truth.shape))
        {
            throw new ArgumentException(
                $"Predictions [{string.Join(", ", predicted.shape)}] and labels [{string.Join(", ", truth.shape)}] differ in shape.", nameof(predicted));
        }

        using var scope = NewDisposeScope();
        var flatTruth = truth.reshape(-1).to(ScalarType.Int64);
        var flatPredicted = predicted.reshape(-1).to(ScalarType.Int64);
        var counted = flatTruth.ne(IgnoreIndex);
        var keptTruth = flatTruth.masked_select(counted);
        var keptPredicted = flatPredicted.masked_select(counted);
        if (keptTruth.numel() == 0)
        {
            return;
        }

        CheckRange(keptTruth, "label");
        CheckRange(keptPredicted, "prediction");

        // One bincount over truth·K + prediction fills the whole matrix in a single pass.
        var cells = keptTruth.mul(ClassCount).add(keptPredicted);
        var tally = cells.bincount(null, ClassCount * ClassCount).cpu();
        var values = tally.data<long>().ToArray();
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += values[i];
        }
    }

    /// <summary>Adds another matrix's counts (same classes and ignore index), e.g. from another device or worker.</summary>
    public void Add(ConfusionMatrix other)
    {
        if (other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"Cannot add a {other.ClassCount}-class matrix to a {ClassCount}-class one.", nameof(other));
        }

        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }
    }

    public void Reset() => Array.Clear(counts);

    /// <summary>The counts row by row (truth-major), for checkpoints.</summary>
    public double[] ToArray() => counts.Select(c => (double)c).ToArray();

    /// <summary>Replaces the counts with those <see cref="ToArray"/> gave for a matrix of the same size.</summary>
    public void Restore(double[] state)
    {
        if (state.Length != counts.Length)
        {
            throw new ArgumentException($"A {ClassCount}-class confusion matrix has {counts.Length} counts; the saved state has {state.Length}.", nameof(state));
        }

        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = checked((long)state[i]);
        }
    }

    /// <summary>The segmentation scores of the counts so far.</summary>
    public SegmentationMetrics Compute() => SegmentationMetrics.From(this);

    private int Index(int truth, int predicted)
    {
        if ((uint)truth >= (uint)ClassCount || (uint)predicted >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(truth), $"Classes run from 0 to {ClassCount - 1}; got truth {truth}, prediction {predicted}.");
        }

        return truth * ClassCount + predicted;
    }

    private void CheckRange(Tensor labels, string what)
    {
        long min = labels.min().item<long>();
        long max = labels.max().item<long>();
        if (min < 0 || max >= ClassCount)
        {
            long bad = min < 0 ? min : max;
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {what} of {bad} is outside the model's classes 0 to {ClassCount - 1} (and is not the ignore index {IgnoreIndex}). ") +
                "Check the mask values, the number of classes, and the ignore index of the data set and the train block.");
        }
    }
}
