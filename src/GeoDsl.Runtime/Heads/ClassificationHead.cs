using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Heads;

/// <summary>
/// Image-level classifier: [Linear + ReLU per <c>dim_list</c> entry] → Dropout (identity when 0) → Linear
/// (→ num_classes), applied per position and averaged over positions (or averaged first when
/// <c>linear_after_pool</c>). Accepts pooled vectors [B, D] or channel-first maps [B, D, H, W].
/// TerraTorch: <c>ClassificationHead</c> in <c>terratorch/models/heads/classification_head.py</c>; keys
/// <c>head.0.I.0.*</c> (MLP), <c>head.2.*</c>.
/// </summary>
/// <remarks>
/// TerraTorch reshapes any input to [B, C, L] assuming channels in dimension 1, so raw tokens [B, N, D] reach the
/// Linear with N features and fail with a matmul shape error unless N = D. Here dimension 1 must equal
/// <c>in_dim</c>, and a mismatch names the head and both shapes; pool tokens with <c>AggregateTokens</c> first.
/// </remarks>
public sealed class ClassificationHead : Head
{
    private const string Component = "ClassificationHead";

    private readonly Sequential head;

    public ClassificationHead(int in_dim, int num_classes, IReadOnlyList<int>? dim_list = null, double dropout = 0, bool linear_after_pool = false)
        : base(Component)
    {
        if (num_classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, $"{Component}: num_classes must be ≥ 1.");
        }

        InDim = in_dim;
        NumClasses = num_classes;
        DimList = dim_list?.ToArray();
        LinearAfterPool = linear_after_pool;

        nn.Module<Tensor, Tensor> preHead = nn.Identity();
        var last = in_dim;
        if (dim_list is not null)
        {
            var widths = new[] { in_dim }.Concat(dim_list).ToArray();
            preHead = nn.Sequential(Enumerable.Range(0, widths.Length - 1)
                .Select(i => (nn.Module<Tensor, Tensor>)nn.Sequential(nn.Linear(widths[i], widths[i + 1]), nn.ReLU()))
                .ToArray());
            last = widths[^1];
        }

        nn.Module<Tensor, Tensor> drop = dropout == 0 ? nn.Identity() : nn.Dropout(dropout);
        head = nn.Sequential(preHead, drop, nn.Linear(last, num_classes));
        RegisterComponents();
    }

    public int InDim { get; }

    public int NumClasses { get; }

    public IReadOnlyList<int>? DimList { get; }

    public bool LinearAfterPool { get; }

    /// <summary>Closed-form parameter count: Din·Dout + Dout per Linear.</summary>
    public static long ParameterCount(int inDim, int numClasses, IReadOnlyList<int>? dimList = null)
    {
        var widths = new[] { inDim }.Concat(dimList ?? []).Append(numClasses).ToArray();
        return Enumerable.Range(0, widths.Length - 1).Sum(i => ((long)widths[i] * widths[i + 1]) + widths[i + 1]);
    }

    /// <summary>Classifies the last pooled vector (what <c>AggregateTokens</c> produces).</summary>
    public Tensor forward(PooledFeatures features) => forward(features.At(-1));

    public override Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.shape[1] != InDim)
        {
            throw new ArgumentException(
                $"{Component} expects B×{InDim} vectors or B×{InDim}×H×W maps (features in dimension 1); got {FeatureChecks.Describe(input)}."
                + (input.dim() == 3 && input.shape[2] == InDim ? " This looks like raw tokens B×N×D: pool them with AggregateTokens first." : string.Empty),
                nameof(input));
        }

        // [B, C, ...] → [B, L, C], L = product of the trailing dims (1 for pooled vectors).
        using var flat = input.reshape(input.shape[0], input.shape[1], -1);
        using var positions = flat.permute(0, 2, 1);
        if (LinearAfterPool)
        {
            using var pooled = positions.mean([1L]);
            return head.forward(pooled);
        }

        using var logits = head.forward(positions);
        return logits.mean([1L]);
    }
}
