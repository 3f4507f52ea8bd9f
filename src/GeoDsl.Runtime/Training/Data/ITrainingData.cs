using System.Collections.Generic;
using TorchSharp;

namespace GeoDsl.Runtime.Training.Data;

/// <summary>
/// What the trainer reads: samples by index, batched as input and target tensors. Chip folders come through
/// <see cref="ChipTrainingData"/>; labels already in memory (class labels, regression targets) through
/// <see cref="TensorTrainingData"/>.
/// </summary>
public interface ITrainingData
{
    int Count { get; }

    /// <summary>The target value that marks unlabelled pixels or labels, when the data writes one into its targets; null when it does not.</summary>
    long? IgnoreIndex { get; }

    /// <summary>The samples at <paramref name="indices"/> as one batch on <paramref name="device"/>.</summary>
    TrainingBatch GetBatch(IReadOnlyList<int> indices, torch.Device device);
}
