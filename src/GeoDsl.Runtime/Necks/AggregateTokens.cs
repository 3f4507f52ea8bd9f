using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// One token sequence [B, N, D] → one pooled vector [B, D], for classification. The sequence is
/// <c>features[index]</c> (or the only one); pooling is <c>"mean"</c>, <c>"max"</c>, <c>"min"</c> over all tokens,
/// <c>"CLS"</c> (token 0), or a token index. TerraTorch: <c>AggregateTokens</c> in <c>terratorch/models/necks.py</c>.
/// </summary>
/// <remarks>
/// TerraTorch's integer pooling branch never works (a NameError on an undefined name in 1.1; newer versions call
/// <c>.lower()</c> on the int); here an integer selects that token. <c>"CLS"</c> on features without a class token
/// is an error rather than silently returning the first patch.
/// </remarks>
public sealed class AggregateTokens : Neck<TokenFeatures, PooledFeatures>
{
    private const string Component = "AggregateTokens";

    private readonly string? mode;
    private readonly int? tokenIndex;

    /// <param name="pooling">"mean", "max", "min" or "CLS" (case-insensitive, as TerraTorch lower-cases it).</param>
    /// <param name="index">Which sequence to pool when there are several (Python-style).</param>
    /// <param name="drop_cls">Drop token 0 before mean/max/min (newer TerraTorch option).</param>
    public AggregateTokens(string pooling = "mean", int index = -1, bool drop_cls = false) : base(Component)
    {
        mode = pooling.ToLowerInvariant();
        if (mode is not ("mean" or "max" or "min" or "cls"))
        {
            throw new ArgumentException($"{Component}: pooling '{pooling}' is not one of mean, max, min, CLS or a token index.", nameof(pooling));
        }

        if (drop_cls && mode == "cls")
        {
            throw new ArgumentException($"{Component}: drop_cls = true is incompatible with pooling = CLS.", nameof(drop_cls));
        }

        Index = index;
        DropCls = drop_cls;
    }

    /// <param name="pooling">Index of the token to take (Python-style; counted after <paramref name="drop_cls"/>).</param>
    /// <param name="index">Which sequence to pool when there are several (Python-style).</param>
    /// <param name="drop_cls">Drop token 0 before indexing.</param>
    public AggregateTokens(int pooling, int index = -1, bool drop_cls = false) : base(Component)
    {
        tokenIndex = pooling;
        Index = index;
        DropCls = drop_cls;
    }

    public int Index { get; }

    public bool DropCls { get; }

    /// <summary>
    /// Channels of the one pooled vector: [C[index]]. TerraTorch returns the list unchanged (n entries for one
    /// tensor); its decoders read entry −1, which equals this whenever index is −1, the default.
    /// </summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels, int index = -1)
        => inChannels.Count == 1 ? [inChannels[0]] : [inChannels[FeatureChecks.ResolveIndex(Component, "index", index, inChannels.Count)]];

    public override PooledFeatures forward(TokenFeatures input)
    {
        var x = input.Count == 1 ? input[0] : input[FeatureChecks.ResolveIndex(Component, "index", Index, input.Count)];
        FeatureChecks.RequireRank(Component, x, 3, "B×N×D");
        if ((mode == "cls" || DropCls) && !input.HasClsToken)
        {
            throw new ArgumentException(
                $"{Component}: pooling {(DropCls ? "with drop_cls" : "CLS")} needs a class token, but these features have none ({input.DescribeShapes()}).",
                nameof(input));
        }

        using var tokens = DropCls ? x.narrow(1, 1, x.shape[1] - 1) : x.alias();
        var pooled = mode switch
        {
            "mean" => tokens.mean([1L]),
            "max" => tokens.amax([1L]),
            "min" => tokens.amin([1L]),
            "cls" => tokens.select(1, 0),
            _ => tokens.select(1, FeatureChecks.ResolveIndex(Component, "pooling", tokenIndex!.Value, (int)tokens.shape[1])),
        };
        return new PooledFeatures([pooled]);
    }
}
