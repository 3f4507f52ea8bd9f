using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Features;

/// <summary>
/// Features flowing between a model's stages. The kind is a C# type so that a neck fed the wrong kind
/// (a token neck given maps, say) does not compile; the numbers (channels, sizes) are checked by the front end.
/// </summary>
public abstract class FeatureSet
{
    protected FeatureSet(IReadOnlyList<Tensor> tensors)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("A feature set holds at least one tensor.", nameof(tensors));
        }

        Tensors = tensors;
    }

    public IReadOnlyList<Tensor> Tensors { get; }

    public int Count => Tensors.Count;

    public Tensor this[int index] => Tensors[index];

    /// <summary>Python-style index: -1 is the last feature.</summary>
    public Tensor At(int index) => Tensors[index < 0 ? Tensors.Count + index : index];

    /// <summary>Shapes as "B×C×H×W" strings, for messages.</summary>
    public string DescribeShapes() => string.Join(", ", Tensors.Select(t => string.Join("×", t.shape)));
}

/// <summary>Token sequences [B, N(+1 cls), D] as ViT-style backbones emit them, one per selected block.</summary>
public sealed class TokenFeatures : FeatureSet
{
    public TokenFeatures(IReadOnlyList<Tensor> tensors, bool hasClsToken, TokenGrid grid) : base(tensors)
    {
        HasClsToken = hasClsToken;
        Grid = grid;
    }

    /// <summary>Whether token 0 of every tensor is a class token.</summary>
    public bool HasClsToken { get; }

    /// <summary>How the patch tokens tile the (padded) image: frames × rows × columns.</summary>
    public TokenGrid Grid { get; }

    public TokenFeatures With(IReadOnlyList<Tensor> tensors) => new(tensors, HasClsToken, Grid);
}

/// <summary>The layout of patch tokens: <c>Frames</c> (after the tubelet) × <c>Rows</c> × <c>Columns</c>.</summary>
public readonly record struct TokenGrid(int Frames, int Rows, int Columns)
{
    public int Tokens => Frames * Rows * Columns;
}

/// <summary>Channel-first feature maps [B, C, H, W]; a list of them is a pyramid (finest first).</summary>
public sealed class MapFeatures : FeatureSet
{
    public MapFeatures(IReadOnlyList<Tensor> tensors) : base(tensors)
    {
    }

    public MapFeatures(params Tensor[] tensors) : base(tensors)
    {
    }
}

/// <summary>Channel-last feature maps [B, H, W, C], as Swin stages emit them.</summary>
public sealed class ChannelLastMapFeatures : FeatureSet
{
    public ChannelLastMapFeatures(IReadOnlyList<Tensor> tensors) : base(tensors)
    {
    }
}

/// <summary>Pooled vectors [B, D].</summary>
public sealed class PooledFeatures : FeatureSet
{
    public PooledFeatures(IReadOnlyList<Tensor> tensors) : base(tensors)
    {
    }
}
