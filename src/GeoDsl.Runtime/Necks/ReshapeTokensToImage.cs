using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Layers;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Necks;

/// <summary>
/// Token sequences [B, (1+) t·h·w, E] → channel-first maps [B, t·E, h, w], with TerraTorch's
/// <c>"b (t h w) e -> b (t e) h w"</c> ordering (channel index = frame·E + e).
/// TerraTorch: <c>ReshapeTokensToImage</c> in <c>terratorch/models/necks.py</c>.
/// </summary>
/// <remarks>
/// The grid comes from <see cref="TokenFeatures.Grid"/>, so non-square grids work without TerraTorch's
/// √N guess. TerraTorch's non-square path reads an undefined <c>img_h</c> (NameError) and, when it cannot infer the
/// grid with <c>remove_cls_token</c>, flips that flag for good on the module; here nothing is mutated and a
/// class-token mismatch is an error that says what to set.
/// </remarks>
public sealed class ReshapeTokensToImage : Neck<TokenFeatures, MapFeatures>
{
    private const string Component = "ReshapeTokensToImage";

    public ReshapeTokensToImage(bool remove_cls_token = true, int effective_time_dim = 1, int? h = null)
        : base(Component)
    {
        if (effective_time_dim < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(effective_time_dim), effective_time_dim, $"{Component}: effective_time_dim must be ≥ 1.");
        }

        if (h is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, $"{Component}: h must be ≥ 1.");
        }

        RemoveClsToken = remove_cls_token;
        EffectiveTimeDim = effective_time_dim;
        H = h;
    }

    public bool RemoveClsToken { get; }

    public int EffectiveTimeDim { get; }

    public int? H { get; }

    /// <summary>
    /// TerraTorch's <c>process_channel_list</c>: unchanged. The backbone's channel list must already be E·t
    /// (Prithvi reports D·T'), because the reshape folds the frames into the channels.
    /// </summary>
    public static IReadOnlyList<int> OutChannels(IReadOnlyList<int> inChannels) => inChannels.ToArray();

    public override MapFeatures forward(TokenFeatures input)
    {
        if (RemoveClsToken && !input.HasClsToken)
        {
            throw new ArgumentException(
                $"{Component}: remove_cls_token is true but the features carry no class token "
                + $"({input.DescribeShapes()}, grid {Describe(input.Grid)}). Set remove_cls_token = false.",
                nameof(input));
        }

        return new MapFeatures(input.Tensors.Select(t => Reshape(t, input)).ToArray());
    }

    private Tensor Reshape(Tensor x, TokenFeatures features)
    {
        if (x.dim() < 3)
        {
            throw new ArgumentException($"{Component} expects tokens B×N×E; got {FeatureChecks.Describe(x)}.", nameof(features));
        }

        // Collapse any extra middle axes into the token axis, as TerraTorch does for >3-D encoder outputs.
        if (x.dim() > 3)
        {
            x = x.reshape(x.shape[0], -1, x.shape[^1]);
        }

        var batch = x.shape[0];
        var embed = x.shape[2];
        var tokens = x.shape[1];
        var clsTokens = features.HasClsToken ? 1 : 0;
        var patches = tokens - clsTokens;
        if (features.HasClsToken && !RemoveClsToken)
        {
            throw new ArgumentException(
                $"{Component}: remove_cls_token is false but the features carry a class token; "
                + $"{tokens} tokens = 1 + {patches} cannot tile a grid. Set remove_cls_token = true.",
                nameof(features));
        }

        var t = (long)EffectiveTimeDim;
        if (patches % t != 0)
        {
            throw new ArgumentException(
                $"{Component}: {patches} patch tokens do not split into effective_time_dim = {t} frames.", nameof(features));
        }

        var perFrame = patches / t;
        var rows = ResolveRows(perFrame, patches, t, features.Grid);
        var columns = perFrame / rows;

        using var patchTokens = RemoveClsToken ? x.narrow(1, 1, patches) : x.alias();
        using var grid = patchTokens.reshape(batch, t, rows, columns, embed);
        using var channelFirst = grid.permute(0, 1, 4, 2, 3);
        return channelFirst.reshape(batch, t * embed, rows, columns);
    }

    private long ResolveRows(long perFrame, long patches, long t, TokenGrid grid)
    {
        if (H is { } explicitRows)
        {
            if (perFrame % explicitRows != 0)
            {
                throw new ArgumentException($"{Component}: h = {explicitRows} does not divide {perFrame} tokens per frame.");
            }

            return explicitRows;
        }

        if (grid.Tokens > 0)
        {
            if (grid.Tokens != patches || grid.Frames != t)
            {
                throw new ArgumentException(
                    $"{Component}: {patches} patch tokens with effective_time_dim = {t} do not match the backbone's grid "
                    + $"{Describe(grid)}; effective_time_dim must equal the grid's frames ({grid.Frames}).");
            }

            return grid.Rows;
        }

        // No grid from the backbone: fall back to TerraTorch's square assumption.
        var side = (long)Math.Round(Math.Sqrt(perFrame));
        if (side * side != perFrame)
        {
            throw new ArgumentException(
                $"{Component}: {perFrame} tokens per frame are not a square and neither h nor a token grid is known.");
        }

        return side;
    }

    private static string Describe(TokenGrid grid) => $"{grid.Frames}×{grid.Rows}×{grid.Columns}";
}
