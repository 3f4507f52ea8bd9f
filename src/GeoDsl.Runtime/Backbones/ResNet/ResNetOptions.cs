using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Runtime.Backbones.ResNet;

/// <summary>
/// Hyperparameters of a <see cref="ResNetEncoder"/>. Defaults are torchvision's <c>resnet50</c>
/// (pytorch/vision <c>torchvision/models/resnet.py</c>) without the classifier, as the catalog counts it.
/// </summary>
public sealed record ResNetOptions
{
    /// <summary>The levels a ResNet gives: the stem and layer1..layer4.</summary>
    public const int LevelCount = 5;

    /// <summary>BasicBlock (ResNet-18/34) or Bottleneck (ResNet-50/101/152).</summary>
    public ResNetBlock Block { get; init; } = ResNetBlock.Bottleneck;

    /// <summary>Blocks in layer1..layer4 (torchvision's <c>layers</c>).</summary>
    public IReadOnlyList<int> Layers { get; init; } = new[] { 3, 4, 6, 3 };

    /// <summary>Input bands (timm's <c>in_chans</c>; torchvision fixes 3).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>
    /// Stem width and layer1's 3×3 width; layer2..4 double it. torchvision's value is 64; smaller values only make
    /// tiny test networks (no published weights fit them).
    /// </summary>
    public int BaseWidth { get; init; } = 64;

    /// <summary>Outputs of the classifier <c>fc</c>; 0 builds the feature extractor without it.</summary>
    public int NumClasses { get; init; }

    /// <summary>Levels returned (0 = stem, 1..4 = layer1..layer4; negative counts from the end); null = all five.</summary>
    public IReadOnlyList<int>? OutIndices { get; init; }

    /// <summary>
    /// Satlas multi-image: pixels [B, C, T, H, W] are encoded image by image and each level is max-pooled over T
    /// (allenai/satlaspretrain_models <c>AggregationBackbone</c>, aggregation_op 'max').
    /// </summary>
    public bool MultiImage { get; init; }

    /// <summary>timm's <c>drop_path_rate</c>: block i of n drops its residual branch with rate·i/(n−1), in training only.</summary>
    public double DropPathRate { get; init; }

    /// <summary>torchvision's layout for ResNet-18, 34, 50, 101 or 152.</summary>
    public static ResNetOptions ForDepth(int depth) => new() { Block = ResNetVariants.BlockOf(depth), Layers = ResNetVariants.LayersOf(depth) };

    /// <summary>The feature extractor (without <c>fc</c>) for a ResNet the front end resolved.</summary>
    public static ResNetOptions For(ResNetArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return ForDepth(architecture.Depth) with
        {
            InChannels = architecture.InChannels,
            OutIndices = architecture.OutIndices.ToArray(),
            MultiImage = architecture.MultiImage,
            DropPathRate = architecture.DropPathRate,
        };
    }

    /// <summary>Output channels per block over its 3×3 width: 1 (BasicBlock) or 4 (Bottleneck).</summary>
    public int Expansion => Block == ResNetBlock.Bottleneck ? 4 : 1;

    /// <summary>The 3×3 width of the blocks of stage 1..4.</summary>
    public int StageWidth(int stage) => BaseWidth << (stage - 1);

    /// <summary>Channels of level 0..4.</summary>
    public int LevelChannels(int level) => level == 0 ? BaseWidth : StageWidth(level) * Expansion;

    /// <summary>
    /// The levels <see cref="OutIndices"/> selects, non-negative, ascending and distinct: TerraTorch's torchgeo wrapper
    /// and timm's feature extraction both return levels in network order, whatever order they were asked in.
    /// </summary>
    public IReadOnlyList<int> ResolvedOutIndices =>
        OutIndices is null
            ? Enumerable.Range(0, LevelCount).ToArray()
            : OutIndices.Select(i => i < 0 ? LevelCount + i : i).Distinct().OrderBy(i => i).ToArray();

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
        Require(BaseWidth >= 1, $"the base width must be at least 1; got {BaseWidth}.");
        Require(NumClasses >= 0, $"num_classes must be 0 (no classifier) or more; got {NumClasses}.");
        Require(Layers.Count == 4 && Layers.All(n => n >= 1), $"layers must give 4 stages of at least one block; got [{string.Join(", ", Layers)}].");
        Require(DropPathRate >= 0 && DropPathRate < 1, $"drop_path_rate must be in [0, 1); got {DropPathRate}.");
        if (OutIndices is not null)
        {
            Require(OutIndices.Count >= 1, "out_indices must name at least one level (or be left unset for all).");
            foreach (var index in OutIndices)
            {
                Require(index >= -LevelCount && index < LevelCount,
                    $"out_indices entry {index} is out of range: a ResNet has {LevelCount} levels (allowed {-LevelCount}..{LevelCount - 1}).");
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
            throw new ArgumentException("Invalid ResNet options: " + string.Join(" ", problems));
        }
    }
}
