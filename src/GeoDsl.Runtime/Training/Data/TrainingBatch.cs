using System;
using System.Collections.Generic;
using TorchSharp;

namespace GeoDsl.Runtime.Training.Data;

/// <summary>
/// One batch: inputs [B, C, H, W] (or [B, C, T, H, W]) and targets in the task's layout — class labels [B, H, W] or
/// [B] (int64), regression values [B, H, W] (float), multi-hot labels [B, K] (float) — and each sample's name, so a
/// diverging step can say which samples it saw.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    public TrainingBatch(torch.Tensor inputs, torch.Tensor targets, IReadOnlyList<string> sampleNames)
    {
        if (inputs.shape[0] != targets.shape[0])
        {
            throw new ArgumentException($"A batch's inputs hold {inputs.shape[0]} samples but its targets {targets.shape[0]}.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
        SampleNames = sampleNames;
    }

    public torch.Tensor Inputs { get; }

    public torch.Tensor Targets { get; }

    public IReadOnlyList<string> SampleNames { get; }

    public int Count => (int)Inputs.shape[0];

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
