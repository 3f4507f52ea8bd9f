using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Runtime.Backbones.ConvNeXt;

/// <summary>
/// Hyperparameters of a torchvision <c>ConvNeXt</c> (torchvision 0.14 <c>torchvision/models/convnext.py</c>): the
/// <c>block_setting</c> as channels and blocks per stage, <c>stochastic_depth_prob</c>, <c>layer_scale</c>. Defaults
/// are convnext_tiny with 3 bands, no stochastic depth and no classifier.
/// </summary>
public sealed record TorchvisionConvNeXtOptions
{
    /// <summary>Input bands (torchvision hard-codes 3 in the stem; any number works here).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Channels per stage (<c>CNBlockConfig.input_channels</c>; each downsampling goes to the next entry).</summary>
    public IReadOnlyList<int> Dims { get; init; } = new[] { 96, 192, 384, 768 };

    /// <summary>CNBlocks per stage (<c>CNBlockConfig.num_layers</c>).</summary>
    public IReadOnlyList<int> Depths { get; init; } = new[] { 3, 3, 9, 3 };

    /// <summary>The largest stochastic-depth rate (<c>stochastic_depth_prob</c>); block k of n gets rate·k/(n−1). Training only.</summary>
    public double StochasticDepthProb { get; init; }

    /// <summary>Initial value of every block's <c>layer_scale</c> (<c>layer_scale</c>, 1e-6).</summary>
    public double LayerScale { get; init; } = 1e-6;

    /// <summary>Stages whose maps are returned, in this order; negative indices count from the end; null = all stages.</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    /// <summary>
    /// torchvision's <c>classifier</c> (LayerNorm2d, Flatten, Linear(C, classes)) when set: for parameter counts and
    /// state-dict comparisons with torchvision and for <see cref="TorchvisionConvNeXt.Classify"/>. Backbones in GeoDsl models have none.
    /// </summary>
    public int? NumClasses { get; init; }

    public int Stages => Dims.Count;

    /// <summary>The options for a ConvNeXt the front end resolved (no classifier).</summary>
    public static TorchvisionConvNeXtOptions From(ConvNeXtArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new()
        {
            InChannels = a.InChannels,
            Dims = a.Dims.ToArray(),
            Depths = a.Depths.ToArray(),
            StochasticDepthProb = a.DropPath,
            LayerScale = a.LayerScale,
            OutIndices = a.OutIndices.ToArray(),
        };
    }

    /// <summary>The stages <see cref="OutIndices"/> selects, as non-negative indices in the given order.</summary>
    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null
            ? Enumerable.Range(0, Stages).ToArray()
            : OutIndices.Select(i => i < 0 ? Stages + i : i).ToArray();

    /// <summary>Every problem with these options, worded for a user; empty when they are consistent.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                problems.Add(message);
            }
        }

        Require(InChannels >= 1, $"in_chans must be at least 1; got {InChannels}.");
        Require(Dims.Count >= 1 && Dims.All(d => d >= 1), $"dims must list at least one positive width; got [{string.Join(", ", Dims)}].");
        Require(Depths.Count == Dims.Count && Depths.All(d => d >= 1),
            $"depths must give a positive block count per stage ({Dims.Count}); got [{string.Join(", ", Depths)}].");
        Require(StochasticDepthProb >= 0 && StochasticDepthProb < 1, $"stochastic_depth_prob must be in [0, 1); got {StochasticDepthProb}.");
        Require(NumClasses is null or >= 1, $"num_classes must be at least 1; got {NumClasses}.");
        if (OutIndices is not null)
        {
            Require(OutIndices.Count >= 1, "out_indices must name at least one stage (or be left unset for all).");
            foreach (var index in OutIndices)
            {
                Require(index >= -Stages && index < Stages, $"out_indices entry {index} is out of range for {Stages} stages (allowed {-Stages}..{Stages - 1}).");
            }
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid torchvision ConvNeXt options: " + string.Join(" ", problems));
        }
    }
}
