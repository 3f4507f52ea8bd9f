using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Training.Losses;

/// <summary>
/// Pixel-wise cross-entropy, as <c>nn.CrossEntropyLoss(weight, ignore_index)</c> with mean reduction: with class
/// weights w, Σ w[y]·(−log p_y) / Σ w[y] over the counted pixels. A batch whose pixels are all ignored gives 0 rather
/// than PyTorch's NaN, so one fully clouded batch does not end a run.
/// </summary>
public sealed class CrossEntropyLoss : TrainingLoss
{
    private readonly double[]? classWeights;

    public CrossEntropyLoss(long ignoreIndex = -1, IReadOnlyList<double>? classWeights = null)
        : base(ignoreIndex)
    {
        this.classWeights = classWeights is { Count: > 0 } ? classWeights.ToArray() : null;
    }

    public override string Name => "ce";

    public override Tensor Compute(Tensor output, Tensor target)
    {
        RequireSegmentation(Name, output, target);
        using var scope = NewDisposeScope();
        var counted = target.ne(IgnoreIndex);
        var labels = SafeLabels(target, counted);
        Tensor? weight = null;
        if (classWeights is not null)
        {
            if (classWeights.Length != output.shape[1])
            {
                throw new ArgumentException($"class_weights has {classWeights.Length} weights but the model predicts {output.shape[1]} classes; give one weight per class.");
            }

            weight = tensor(classWeights, dtype: output.dtype, device: output.device);
        }

        // Per-pixel losses (already weighted by w[y]); ignored pixels are zeroed by the mask, not by ignore_index,
        // because their labels were replaced with 0 above.
        var perPixel = nn.functional.cross_entropy(output, labels, weight, reduction: nn.Reduction.None) * counted;
        var pixelWeights = weight is null ? counted.to(output.dtype) : weight.index_select(0, labels.reshape(-1)).reshape(labels.shape) * counted;
        var loss = perPixel.sum() / pixelWeights.sum().clamp_min(1e-12);
        return loss.MoveToOuterDisposeScope();
    }
}
