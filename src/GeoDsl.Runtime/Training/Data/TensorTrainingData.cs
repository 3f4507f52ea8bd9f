using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Data;

/// <summary>
/// Samples held as two tensors whose first dimension counts the samples: inputs and targets (class labels [N],
/// multi-hot labels [N, K], per-pixel values or labels [N, H, W]). For image-level tasks, small sets and tests.
/// </summary>
public sealed class TensorTrainingData : ITrainingData
{
    private readonly Tensor inputs;
    private readonly Tensor targets;
    private readonly string name;

    /// <param name="name">How samples are named in messages: "<paramref name="name"/>[index]".</param>
    /// <param name="ignoreIndex">The target value that marks unlabelled samples or pixels, if the targets use one.</param>
    public TensorTrainingData(Tensor inputs, Tensor targets, string name = "sample", long? ignoreIndex = null)
    {
        if (inputs.dim() < 2 || targets.dim() < 1 || inputs.shape[0] != targets.shape[0])
        {
            throw new ArgumentException(
                $"Inputs [{string.Join(", ", inputs.shape)}] and targets [{string.Join(", ", targets.shape)}] must share their first dimension (the samples).");
        }

        this.inputs = inputs.detach().cpu();
        this.targets = targets.detach().cpu();
        this.name = name;
        IgnoreIndex = ignoreIndex;
    }

    public int Count => (int)inputs.shape[0];

    public long? IgnoreIndex { get; }

    public TrainingBatch GetBatch(IReadOnlyList<int> indices, Device device)
    {
        var index = tensor(indices.Select(i => (long)i).ToArray());
        return new TrainingBatch(
            inputs.index_select(0, index).to(device),
            targets.index_select(0, index).to(device),
            indices.Select(i => string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]")).ToArray());
    }
}
