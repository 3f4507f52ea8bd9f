using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// Hyperparameters of a Swin transformer, for all three layouts GeoDsl implements: torchvision's
/// (<see cref="SwinTransformer"/>, <see cref="SatlasSwinTransformer"/>) and TerraTorch's MMSeg-style one
/// (<see cref="PrithviSwinTransformer"/>). Defaults are torchvision's <c>swin_t</c>.
/// </summary>
public sealed record SwinOptions
{
    /// <summary>Input bands (the first conv's input channels; torchvision hard-codes 3, Satlas and Prithvi-Swin set them).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Stage-1 width C (<c>embed_dim</c>); stage i has C·2^i.</summary>
    public int EmbedDim { get; init; } = 96;

    /// <summary>Blocks per stage (<c>depths</c>).</summary>
    public IReadOnlyList<int> Depths { get; init; } = new[] { 2, 2, 6, 2 };

    /// <summary>Heads per stage (<c>num_heads</c>).</summary>
    public IReadOnlyList<int> NumHeads { get; init; } = new[] { 3, 6, 12, 24 };

    /// <summary>Square attention window (<c>window_size</c>).</summary>
    public int WindowSize { get; init; } = 7;

    /// <summary>Swin v2 blocks (torchvision <c>SwinTransformerBlockV2</c>, <c>PatchMergingV2</c>); torchvision layout only.</summary>
    public bool V2 { get; init; }

    /// <summary>MLP hidden width as a multiple of the stage width (<c>mlp_ratio</c>).</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>
    /// The last block's stochastic-depth rate; block k of n gets rate·k/(n−1) (torchvision <c>stochastic_depth_prob</c>,
    /// MMSeg <c>drop_path_rate</c> through <c>linspace</c>: the same numbers). Training only.
    /// </summary>
    public double StochasticDepth { get; init; }

    /// <summary>
    /// Classes of torchvision's classifier (<c>norm</c> and <c>head</c>, which the features do not use); 0 builds a feature
    /// extractor without them. The Satlas wrapper always has torchvision's 1000, as TerraTorch does.
    /// </summary>
    public int NumClasses { get; init; }

    /// <summary>
    /// Selected outputs; what they index depends on the layout (stages, or Satlas' eight <c>features</c> modules).
    /// Negative counts from the end; null = the layout's default.
    /// </summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    public static SwinOptions SwinT => new() { StochasticDepth = 0.2 };

    public static SwinOptions SwinB => new() { EmbedDim = 128, Depths = new[] { 2, 2, 18, 2 }, NumHeads = new[] { 4, 8, 16, 32 }, StochasticDepth = 0.5 };

    public static SwinOptions SwinV2T => SwinT with { WindowSize = 8, V2 = true };

    public static SwinOptions SwinV2B => SwinB with { WindowSize = 8, V2 = true };

    /// <summary>Prithvi-Swin-B: 6 HLS bands, MMSeg's drop_path_rate 0.1 (TerraTorch <c>prithvi_swin_B</c>).</summary>
    public static SwinOptions PrithviSwinB => SwinB with { InChannels = 6, StochasticDepth = 0.1 };

    /// <summary>Prithvi-Swin-L: 192, heads 6/12/24/48 (TerraTorch <c>prithvi_swin_L</c>).</summary>
    public static SwinOptions PrithviSwinL => PrithviSwinB with { EmbedDim = 192, NumHeads = new[] { 6, 12, 24, 48 } };

    /// <summary>The options for a Swin the front end resolved (its out_indices are already non-negative).</summary>
    public static SwinOptions From(SwinArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new SwinOptions
        {
            InChannels = a.InChannels,
            EmbedDim = a.EmbedDim,
            Depths = a.Depths.ToArray(),
            NumHeads = a.NumHeads.ToArray(),
            WindowSize = a.WindowSize,
            V2 = a.V2,
            StochasticDepth = a.DropPath,
            OutIndices = a.OutIndices.ToArray(),
        };
    }

    /// <summary>Channels of stage <paramref name="stage"/>.</summary>
    public int StageChannels(int stage) => EmbedDim << stage;

    /// <summary>Python-style resolution of <see cref="OutIndices"/> against <paramref name="count"/> outputs.</summary>
    public int[] ResolveOutIndices(int count, IReadOnlyList<int> defaults, bool ascending)
    {
        var resolved = (OutIndices ?? defaults).Select(i => i < 0 ? count + i : i);
        return ascending ? resolved.Distinct().OrderBy(i => i).ToArray() : resolved.ToArray();
    }

    /// <summary>Every problem with these options, worded for a user; empty when they are consistent.</summary>
    public IReadOnlyList<string> Problems(int outputCount, string outputs)
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
        Require(EmbedDim >= 1, $"embed_dim must be at least 1; got {EmbedDim}.");
        Require(Depths.Count == 4 && Depths.All(d => d >= 1), $"depths must be 4 positive numbers; got [{string.Join(", ", Depths)}].");
        Require(NumHeads.Count == 4 && NumHeads.All(h => h >= 1), $"num_heads must be 4 positive numbers; got [{string.Join(", ", NumHeads)}].");
        if (NumHeads.Count == 4 && NumHeads.All(h => h >= 1))
        {
            for (int stage = 0; stage < 4; stage++)
            {
                Require(StageChannels(stage) % NumHeads[stage] == 0, $"stage {stage} width {StageChannels(stage)} is not a multiple of its {NumHeads[stage]} heads.");
            }
        }

        Require(WindowSize >= 2, $"window_size must be at least 2; got {WindowSize}.");
        Require(MlpRatio > 0 && (int)(EmbedDim * MlpRatio) >= 1, $"mlp_ratio must give a hidden width of at least 1; got {MlpRatio}.");
        Require(StochasticDepth >= 0 && StochasticDepth < 1, $"the stochastic-depth rate must be in [0, 1); got {StochasticDepth}.");
        Require(NumClasses >= 0, $"num_classes must be 0 (no classifier) or more; got {NumClasses}.");
        if (OutIndices is not null)
        {
            Require(OutIndices.Count >= 1, "out_indices must name at least one output (or be left unset).");
            foreach (var index in OutIndices)
            {
                Require(index >= -outputCount && index < outputCount, $"out_indices entry {index} is out of range for {outputs} (allowed {-outputCount}..{outputCount - 1}).");
            }
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    public void Validate(int outputCount, string outputs, string model)
    {
        var problems = Problems(outputCount, outputs);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {model} options: " + string.Join(" ", problems));
        }
    }
}
