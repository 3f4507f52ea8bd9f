using System;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// One chip ready for a model: the normalised image, row-major [C, H, W] (or [C, T, H, W] with frames),
/// and the mask's labels [H, W] with ignored pixels set to the ignore index.
/// </summary>
public sealed class ChipSample
{
    internal ChipSample(ChipPair pair, int channels, int frames, int height, int width, float[] image, long[] mask)
    {
        Pair = pair;
        Channels = channels;
        Frames = frames;
        Height = height;
        Width = width;
        this.image = image;
        this.mask = mask;
    }

    private readonly float[] image;
    private readonly long[] mask;

    public ChipPair Pair { get; }

    /// <summary>Bands per frame.</summary>
    public int Channels { get; }

    public int Frames { get; }

    public int Height { get; }

    public int Width { get; }

    public ReadOnlySpan<float> Image => image;

    public ReadOnlySpan<long> Mask => mask;

    /// <summary>The image's shape without the batch: [C, H, W], or [C, T, H, W] with more than one frame.</summary>
    public long[] ImageShape => Frames > 1 ? new long[] { Channels, Frames, Height, Width } : new long[] { Channels, Height, Width };
}
