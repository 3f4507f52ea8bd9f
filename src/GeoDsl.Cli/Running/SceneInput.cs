using System;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using TorchSharp;

namespace GeoDsl.Cli.Running;

/// <summary>
/// A whole GeoTIFF as one model input [1, C, H, W] (or [1, C, T, H, W]), laid out and normalised as
/// <see cref="GeoTiffChipDataset"/> lays out training chips: bands frame by frame, (value − mean) / std, nodata and
/// NaN as 0 after normalising. Tiled inference (branch <c>data</c>, <c>Runtime/Inference</c>) replaces this for scenes
/// larger than memory once it lands.
/// </summary>
internal sealed class SceneInput
{
    private SceneInput(GeoRaster raster, float[] pixels, bool[] valid)
    {
        Raster = raster;
        Pixels = pixels;
        Valid = valid;
    }

    /// <summary>The selected bands as read, with the file's georeferencing.</summary>
    public GeoRaster Raster { get; }

    /// <summary>[C, T, H, W], normalised.</summary>
    public float[] Pixels { get; }

    /// <summary>Per pixel: at least one band holds data (not nodata, not NaN).</summary>
    public bool[] Valid { get; }

    public static SceneInput Read(string path, InputSpec input, BandNormalization? normalization)
    {
        var selection = ModelInputBands.For(input, GeoTiffReader.ReadInfo(path));
        var raster = selection.Names is { } names ? GeoTiffReader.Read(path, names) : GeoTiffReader.Read(path);
        int frames = input.Frames;
        int channels = raster.BandCount / frames;
        if (normalization is not null && normalization.Count != raster.BandCount && normalization.Count != channels)
        {
            throw new CommandInputException(
                $"The normalization has {normalization.Count} means/stds, but '{path}' gives {raster.BandCount} band(s) for the model. " +
                "Train again so run.json matches the model, or fix the model's means/stds.");
        }

        int count = raster.Width * raster.Height;
        var pixels = new float[raster.BandCount * count];
        var valid = new bool[count];
        for (int frame = 0; frame < frames; frame++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                int band = frame * channels + channel;
                int statistic = normalization?.Count == raster.BandCount ? band : channel;
                double mean = normalization?.Means[statistic] ?? 0;
                double std = normalization?.Stds[statistic] ?? 1;
                ReadOnlySpan<float> source = raster.Band(band);
                Span<float> target = pixels.AsSpan((channel * frames + frame) * count, count);
                for (int i = 0; i < count; i++)
                {
                    float value = source[i];
                    bool missing = float.IsNaN(value) || raster.IsNoData(value);
                    target[i] = missing ? 0f : (float)((value - mean) / std);
                    valid[i] |= !missing;
                }
            }
        }

        return new SceneInput(raster, pixels, valid);
    }

    public torch.Tensor ToTensor(InputSpec input) => input.Frames == 1
        ? torch.tensor(Pixels, new long[] { 1, Raster.BandCount, Raster.Height, Raster.Width })
        : torch.tensor(Pixels, new long[] { 1, Raster.BandCount / input.Frames, input.Frames, Raster.Height, Raster.Width });
}
