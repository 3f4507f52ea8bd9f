using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// The MAE-style ViT family: SatMAE (group-channel multispectral and temporal), Scale-MAE and the SSL4EO ViT-S/16
/// encoders. One entry point for <see cref="BackboneFamilies"/>; each architecture has its own descriptor file.
/// </summary>
public static class MaeBackbones
{
    public static IEnumerable<BackboneDescriptor> All =>
        SatMaeVariants.Multispectral.Select(v => (BackboneDescriptor)new SatMaeMultispectralBackbone(v))
            .Concat(SatMaeVariants.Temporal.Select(v => (BackboneDescriptor)new SatMaeTemporalBackbone(v)))
            .Concat(ScaleMaeVariants.All.Select(v => (BackboneDescriptor)new ScaleMaeBackbone(v)))
            .Concat(Ssl4eoVariants.All.Select(v => (BackboneDescriptor)new Ssl4eoViTBackbone(v)));
}

/// <summary>Closed forms and checks the timm-layout ViTs of this family share.</summary>
internal static class MaeVit
{
    /// <summary>
    /// Learnable parameters of one timm pre-norm block with qkv bias: norm1 (2D), qkv (3D² + 3D), proj (D² + D),
    /// norm2 (2D), fc1 (D·H + H), fc2 (H·D + D). With H = 4D this is 12D² + 13D.
    /// </summary>
    public static long Block(long d, long hidden) => (2 * d) + (3 * d * d) + (3 * d) + (d * d) + d + (2 * d) + (d * hidden) + hidden + (hidden * d) + d;

    /// <summary>A Conv2d patch embedding with bias: C·p²·D + D.</summary>
    public static long PatchEmbed(long channels, long patch, long d) => (channels * patch * patch * d) + d;

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    public static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

    public static string SizeText(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : $"{height}×{width}";

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports and returns false when the heads do not divide the width.</summary>
    public static bool CheckHeads(int embedDim, int heads, string title, ShapeContext context)
    {
        if (embedDim % heads == 0)
        {
            return true;
        }

        context.ReportAt("num_heads", DiagnosticDescriptors.ArgumentOutOfRange, "num_heads", title, $"a divisor of embed_dim {embedDim}", Text(heads));
        return false;
    }

    /// <summary>Reports out-of-range entries of <c>out_indices</c>; false when one is.</summary>
    public static bool CheckOutIndices(ArgumentList args, int depth, string title, ShapeContext context)
    {
        var requested = args.IntListOrNull("out_indices") ?? Array.Empty<int>();
        for (int item = 0; item < requested.Count; item++)
        {
            int index = requested[item];
            if (index >= depth || index < -depth)
            {
                context.ReportAt(Binding.SpecLocations.Item("out_indices", item), DiagnosticDescriptors.FeatureIndexOutOfRange, Text(index),
                    "out_indices of " + title, "its encoder", Text(depth), $"-{depth}..{depth - 1}");
                return false;
            }
        }

        return true;
    }

    /// <summary>The selected blocks as non-negative indices, in the given order; <paramref name="fallback"/> when unset.</summary>
    public static EquatableArray<int> ResolveOutIndices(ArgumentList args, int depth, IReadOnlyList<int> fallback) =>
        (args.IntListOrNull("out_indices") ?? fallback).Select(i => i < 0 ? depth + i : i).ToEquatableArray();

    /// <summary>GEO1006 when the size is not a multiple of 2 × patch (TerraTorch's <c>pad_images</c> pads to it).</summary>
    public static void ReportPadding(InputSpec input, int patch, ShapeContext context)
    {
        int multiple = 2 * patch;
        if (input.Height % multiple == 0 && input.Width % multiple == 0)
        {
            return;
        }

        string up = SizeText(RoundUp(input.Height, multiple), RoundUp(input.Width, multiple));
        string down = SizeText(RoundDown(input.Height, multiple), RoundDown(input.Width, multiple));
        context.Report(DiagnosticDescriptors.SizeNotMultipleOfPatch, SizeText(input.Height, input.Width), Text(multiple), Text(patch), up,
            up == down ? $"Use {up}." : $"Use {down} or {up}.");
    }

    /// <summary>
    /// Per-sample activations of a ViT whose blocks all see <paramref name="tokens"/> tokens: every block's saved
    /// tensors (or only its input under gradient checkpointing), the input pixels, and the per-block outputs the
    /// backbone returns (clones that live until the necks select from them).
    /// </summary>
    public static ActivationEstimate Activations(long tokens, int embedDim, int heads, int mlpHidden, int depth, long returnedElements,
        long inputElements, ActivationSettings settings)
    {
        var block = TransformerActivations.Block(tokens, embedDim, heads, mlpHidden, settings);
        long outputs = returnedElements * settings.StreamBytes;
        if (!settings.Training)
        {
            return new ActivationEstimate(0, outputs + block.TransientBytes);
        }

        long perBlock = settings.GradientCheckpointing ? tokens * embedDim * settings.StreamBytes : block.SavedBytes;
        long recompute = settings.GradientCheckpointing ? block.SavedBytes : 0;
        long pixels = inputElements * settings.ComputeBytes;
        return new ActivationEstimate(pixels + (depth * perBlock) + outputs, Math.Max(block.TransientBytes, recompute));
    }

    /// <summary>A ViT's size overrides, shared by the descriptors of this family.</summary>
    public static IEnumerable<ParameterInfo> SizeOverrides(int embedDim, int depth, int heads) => new[]
    {
        ParameterInfo.Optional("embed_dim", ParameterType.Int(16, 8192), $"Override the token width ({embedDim}); the pretrained weights no longer apply."),
        ParameterInfo.Optional("depth", ParameterType.Int(1, 128), $"Override the number of blocks ({depth})."),
        ParameterInfo.Optional("num_heads", ParameterType.Int(1, 128), $"Override the number of attention heads ({heads})."),
        ParameterInfo.With("mlp_ratio", ParameterType.Float(0.25, 16), 4.0, "MLP hidden width as a multiple of D."),
    };

    /// <summary>timm's stochastic depth argument: the rate grows linearly from 0 at the first block to this at the last.</summary>
    public static ParameterInfo DropPathRate { get; } = ParameterInfo.With("drop_path_rate", ParameterType.Float(0, 0.99), 0.0,
        "Stochastic-depth rate of the last block (timm's linear rule: 0 at the first block), in training only.");

    public static ParameterInfo Pretrained { get; } = ParameterInfo.With("pretrained", ParameterType.Bool, false,
        "Load the published weights (patch embedding re-selected for the input bands).");
}
