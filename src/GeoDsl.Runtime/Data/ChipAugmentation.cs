using System;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// Random geometric changes to training chips, applied identically to image and mask so labels stay on their pixels:
/// a random crop (first), then horizontal and vertical flips, then a rotation by a multiple of 90° (as
/// <c>torch.rot90</c>, counter-clockwise). Non-square chips turn by 0° or 180° only, so every chip of a batch keeps one
/// shape. Draws are seeded by <see cref="Seed"/>, the epoch's shuffle seed and the chip's index, so a run (and a
/// resumed run) sees the same chips in the same epoch, whatever the batch size.
/// </summary>
public sealed record ChipAugmentation
{
    public double HorizontalFlipProbability { get; init; } = 0.5;

    public double VerticalFlipProbability { get; init; } = 0.5;

    /// <summary>Turn each chip by 0°, 90°, 180° or 270°, each equally likely.</summary>
    public bool Rotate90 { get; init; } = true;

    /// <summary>A square crop of this side at a random place in each chip; null keeps the whole chip.</summary>
    public int? CropSize { get; init; }

    public long Seed { get; init; }

    /// <summary>The change drawn for chip <paramref name="index"/> in the epoch whose shuffle seed is <paramref name="epochKey"/>.</summary>
    public ChipTransform Draw(int index, long epochKey, int height, int width)
    {
        if (CropSize is int size && (size <= 0 || size > height || size > width))
        {
            throw new ChipDatasetException($"Augmentation CropSize {size} does not fit chips of {width}×{height} (width×height); use 1 to {Math.Min(width, height)}.");
        }

        var random = new DeterministicRandom(unchecked((Seed * 1_000_003L + epochKey) * 1_000_033L + index));
        int cropHeight = CropSize ?? height;
        int cropWidth = CropSize ?? width;
        int row = random.NextInt(height - cropHeight + 1);
        int column = random.NextInt(width - cropWidth + 1);
        bool flipHorizontal = random.NextDouble() < HorizontalFlipProbability;
        bool flipVertical = random.NextDouble() < VerticalFlipProbability;
        int turns = !Rotate90 ? 0 : cropHeight == cropWidth ? random.NextInt(4) : 2 * random.NextInt(2);
        return new ChipTransform(row, column, cropHeight, cropWidth, flipHorizontal, flipVertical, turns);
    }
}

/// <summary>One drawn change: the crop (top-left row and column, size), the flips and the quarter turns.</summary>
public readonly record struct ChipTransform(int Row, int Column, int Height, int Width, bool FlipHorizontal, bool FlipVertical, int QuarterTurns)
{
    public int OutputHeight => QuarterTurns % 2 == 0 ? Height : Width;

    public int OutputWidth => QuarterTurns % 2 == 0 ? Width : Height;

    /// <summary>The source pixel (row-major index in a chip <paramref name="sourceWidth"/> wide) that output pixel (row, col) shows.</summary>
    public int SourceIndex(int row, int col, int sourceWidth)
    {
        // Undo the rotation (torch.rot90 on a Height×Width image), then the flips, then the crop.
        var (r, c) = QuarterTurns switch
        {
            1 => (col, Width - 1 - row),
            2 => (Height - 1 - row, Width - 1 - col),
            3 => (Height - 1 - col, row),
            _ => (row, col),
        };
        if (FlipVertical)
        {
            r = Height - 1 - r;
        }

        if (FlipHorizontal)
        {
            c = Width - 1 - c;
        }

        return (Row + r) * sourceWidth + Column + c;
    }

    /// <summary>Applies the change to every plane of a row-major image (planes of height×width) and to its mask.</summary>
    public (float[] Image, long[] Mask) Apply(ReadOnlySpan<float> image, ReadOnlySpan<long> mask, int height, int width)
    {
        int planes = image.Length / (height * width);
        int outputPixels = OutputHeight * OutputWidth;
        var sources = new int[outputPixels];
        for (int row = 0; row < OutputHeight; row++)
        {
            for (int col = 0; col < OutputWidth; col++)
            {
                sources[row * OutputWidth + col] = SourceIndex(row, col, width);
            }
        }

        var outputImage = new float[planes * outputPixels];
        for (int plane = 0; plane < planes; plane++)
        {
            var source = image.Slice(plane * height * width, height * width);
            for (int i = 0; i < outputPixels; i++)
            {
                outputImage[plane * outputPixels + i] = source[sources[i]];
            }
        }

        var outputMask = new long[outputPixels];
        for (int i = 0; i < outputPixels; i++)
        {
            outputMask[i] = mask[sources[i]];
        }

        return (outputImage, outputMask);
    }
}
