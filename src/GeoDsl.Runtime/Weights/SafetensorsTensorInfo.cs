using System.Collections.Generic;
using System.Globalization;

namespace GeoDsl.Runtime.Weights;

/// <summary>One tensor's entry in a validated safetensors header.</summary>
/// <param name="Name">The tensor's key in the header.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its dimensions, outermost first (row-major, as in PyTorch).</param>
/// <param name="DataBegin">First byte, counted from the start of the data buffer (the byte after the header).</param>
/// <param name="DataEnd">One past the last byte, counted the same way.</param>
public sealed record SafetensorsTensorInfo(
    string Name,
    SafetensorsDType DType,
    IReadOnlyList<long> Shape,
    long DataBegin,
    long DataEnd)
{
    public long ByteLength => DataEnd - DataBegin;

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Shape)
            {
                count *= dimension;
            }
            return count;
        }
    }

    /// <summary>The shape as PyTorch prints it, e.g. "[3072, 1024]".</summary>
    public string ShapeText => FormatShape(Shape);

    public override string ToString() => $"{Name}: {DType.SpecName()} {ShapeText} at [{DataBegin}, {DataEnd})";

    internal static string FormatShape(IReadOnlyList<long> shape)
    {
        var parts = new string[shape.Count];
        for (var i = 0; i < shape.Count; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }
        return "[" + string.Join(", ", parts) + "]";
    }
}
