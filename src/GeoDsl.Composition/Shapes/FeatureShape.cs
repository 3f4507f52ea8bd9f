using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Shapes;

/// <summary>The kinds of features that flow between stages; the runtime gives each its own C# type.</summary>
public enum FeatureKind
{
    /// <summary>Token sequences [B, N(+cls), D].</summary>
    Tokens,

    /// <summary>Channel-first maps [B, C, H, W].</summary>
    Maps,

    /// <summary>Channel-last maps [B, H, W, C] (Swin stages).</summary>
    ChannelLastMaps,

    /// <summary>Pooled vectors [B, D].</summary>
    Pooled,
}

/// <summary>One tensor's shape without the batch dimension.</summary>
public sealed record TensorShape(EquatableArray<int> Dims)
{
    public static TensorShape Of(params int[] dims) => new(dims.ToEquatableArray());

    public int this[int index] => Dims[index];

    public int Rank => Dims.Count;

    public long Elements => Dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>"B×1025×1024": the batch stays symbolic.</summary>
    public override string ToString() => "B×" + string.Join("×", Dims);
}

/// <summary>How patch tokens tile the padded image, and whether token 0 is a class token.</summary>
public sealed record TokenLayout(bool HasClsToken, int Frames, int Rows, int Columns)
{
    public int PatchTokens => Frames * Rows * Columns;
}

/// <summary>The features between two stages: their kind and one shape per tensor.</summary>
public sealed record FeatureShape(FeatureKind Kind, EquatableArray<TensorShape> Tensors, TokenLayout? Tokens = null)
{
    public int Count => Tensors.Count;

    public static FeatureShape Maps(IEnumerable<TensorShape> maps) => new(FeatureKind.Maps, maps.ToEquatableArray());

    public static FeatureShape Map(int channels, int height, int width) => Maps(new[] { TensorShape.Of(channels, height, width) });

    /// <summary>Channels per tensor, as TerraTorch's <c>channel_list</c> counts them.</summary>
    public IReadOnlyList<int> Channels => Tensors.Select(t => Kind switch
    {
        FeatureKind.Maps => t[0],
        FeatureKind.ChannelLastMaps => t[2],
        FeatureKind.Tokens => t[1],
        _ => t[0],
    }).ToList();

    public string KindPhrase => Describe(Kind);

    public static string Describe(FeatureKind kind) => kind switch
    {
        FeatureKind.Tokens => "token sequences",
        FeatureKind.Maps => "channel-first feature maps",
        FeatureKind.ChannelLastMaps => "channel-last feature maps",
        _ => "pooled vectors",
    };

    /// <summary>"4 × B×1025×1024" when all shapes agree, else the list.</summary>
    public string DescribeShapes()
    {
        var distinct = Tensors.Select(t => t.ToString()).Distinct().ToList();
        return distinct.Count == 1 && Count > 1 ? $"{Count} × {distinct[0]}" : string.Join(", ", Tensors);
    }

    public override string ToString() => $"{KindPhrase} {DescribeShapes()}";
}
