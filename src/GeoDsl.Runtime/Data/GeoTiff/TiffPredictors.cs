using System;
using System.Runtime.InteropServices;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// TIFF predictors, in both directions, on blocks already in the machine's byte order.
/// Horizontal (2): each sample stores its difference to the sample <c>stride</c> positions earlier in the row
/// (TIFF 6.0 §14), with wrap-around integer arithmetic. Floating point (3): each row's samples are split into
/// byte planes, most significant byte first, and the plane bytes are then differenced
/// (Adobe Photoshop TIFF Technical Note 3). The stride is the number of samples per pixel in the block.
/// Written here for the codecs LibTiff.NET lacks (ZSTD), where GeoDsl decodes and encodes blocks itself.
/// </summary>
internal static class TiffPredictors
{
    public static void UndoHorizontal(Span<byte> block, int rows, int samplesPerRow, int stride, int bytesPerSample)
    {
        for (int row = 0; row < rows; row++)
        {
            Span<byte> rowBytes = block.Slice(row * samplesPerRow * bytesPerSample, samplesPerRow * bytesPerSample);
            switch (bytesPerSample)
            {
                case 1: Accumulate(rowBytes, stride); break;
                case 2: Accumulate(MemoryMarshal.Cast<byte, ushort>(rowBytes), stride); break;
                case 4: Accumulate(MemoryMarshal.Cast<byte, uint>(rowBytes), stride); break;
                case 8: Accumulate(MemoryMarshal.Cast<byte, ulong>(rowBytes), stride); break;
                default: throw new ArgumentOutOfRangeException(nameof(bytesPerSample), bytesPerSample, "Samples are 1, 2, 4 or 8 bytes.");
            }
        }
    }

    public static void ApplyHorizontal(Span<byte> block, int rows, int samplesPerRow, int stride, int bytesPerSample)
    {
        for (int row = 0; row < rows; row++)
        {
            Span<byte> rowBytes = block.Slice(row * samplesPerRow * bytesPerSample, samplesPerRow * bytesPerSample);
            switch (bytesPerSample)
            {
                case 1: Difference(rowBytes, stride); break;
                case 2: Difference(MemoryMarshal.Cast<byte, ushort>(rowBytes), stride); break;
                case 4: Difference(MemoryMarshal.Cast<byte, uint>(rowBytes), stride); break;
                case 8: Difference(MemoryMarshal.Cast<byte, ulong>(rowBytes), stride); break;
                default: throw new ArgumentOutOfRangeException(nameof(bytesPerSample), bytesPerSample, "Samples are 1, 2, 4 or 8 bytes.");
            }
        }
    }

    public static void UndoFloatingPoint(Span<byte> block, int rows, int samplesPerRow, int stride, int bytesPerSample)
    {
        int rowLength = samplesPerRow * bytesPerSample;
        var planes = new byte[rowLength];
        for (int row = 0; row < rows; row++)
        {
            Span<byte> rowBytes = block.Slice(row * rowLength, rowLength);
            Accumulate(rowBytes, stride);
            rowBytes.CopyTo(planes);
            for (int sample = 0; sample < samplesPerRow; sample++)
            {
                for (int significance = 0; significance < bytesPerSample; significance++)
                {
                    // Plane 0 holds the most significant bytes.
                    rowBytes[sample * bytesPerSample + NativeByteOf(significance, bytesPerSample)] = planes[significance * samplesPerRow + sample];
                }
            }
        }
    }

    public static void ApplyFloatingPoint(Span<byte> block, int rows, int samplesPerRow, int stride, int bytesPerSample)
    {
        int rowLength = samplesPerRow * bytesPerSample;
        var samples = new byte[rowLength];
        for (int row = 0; row < rows; row++)
        {
            Span<byte> rowBytes = block.Slice(row * rowLength, rowLength);
            rowBytes.CopyTo(samples);
            for (int sample = 0; sample < samplesPerRow; sample++)
            {
                for (int significance = 0; significance < bytesPerSample; significance++)
                {
                    rowBytes[significance * samplesPerRow + sample] = samples[sample * bytesPerSample + NativeByteOf(significance, bytesPerSample)];
                }
            }

            Difference(rowBytes, stride);
        }
    }

    /// <summary>Where, within a native-order sample, the byte of the given significance (0 = most significant) lies.</summary>
    private static int NativeByteOf(int significance, int bytesPerSample) =>
        BitConverter.IsLittleEndian ? bytesPerSample - 1 - significance : significance;

    private static void Accumulate(Span<byte> values, int stride)
    {
        for (int i = stride; i < values.Length; i++)
        {
            values[i] = unchecked((byte)(values[i] + values[i - stride]));
        }
    }

    private static void Accumulate(Span<ushort> values, int stride)
    {
        for (int i = stride; i < values.Length; i++)
        {
            values[i] = unchecked((ushort)(values[i] + values[i - stride]));
        }
    }

    private static void Accumulate(Span<uint> values, int stride)
    {
        for (int i = stride; i < values.Length; i++)
        {
            values[i] = unchecked(values[i] + values[i - stride]);
        }
    }

    private static void Accumulate(Span<ulong> values, int stride)
    {
        for (int i = stride; i < values.Length; i++)
        {
            values[i] = unchecked(values[i] + values[i - stride]);
        }
    }

    private static void Difference(Span<byte> values, int stride)
    {
        for (int i = values.Length - 1; i >= stride; i--)
        {
            values[i] = unchecked((byte)(values[i] - values[i - stride]));
        }
    }

    private static void Difference(Span<ushort> values, int stride)
    {
        for (int i = values.Length - 1; i >= stride; i--)
        {
            values[i] = unchecked((ushort)(values[i] - values[i - stride]));
        }
    }

    private static void Difference(Span<uint> values, int stride)
    {
        for (int i = values.Length - 1; i >= stride; i--)
        {
            values[i] = unchecked(values[i] - values[i - stride]);
        }
    }

    private static void Difference(Span<ulong> values, int stride)
    {
        for (int i = values.Length - 1; i >= stride; i--)
        {
            values[i] = unchecked(values[i] - values[i - stride]);
        }
    }
}
