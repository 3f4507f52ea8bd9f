using System;
using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// How a raster's selected bands become a model's input planes: bands are stored frame by frame (band s = t·C + c)
/// and laid out channel-major, [C, T, H, W] (or [C, H, W] with one frame), each standardised with its band's mean and
/// std; nodata and NaN pixels become 0 after standardising (the mean of the band). Chip data sets and scene inference
/// both go through here, so a model sees the same numbers in training and in prediction.
/// </summary>
internal static class ModelInputLayout
{
    /// <summary>Whether the normalisation gives one entry per selected band or one per band of a frame.</summary>
    public static bool Fits(BandNormalization? normalization, int bands, int frames) =>
        normalization is null || normalization.Count == bands || normalization.Count == bands / frames;

    /// <summary>Fills <paramref name="output"/> (bands × width × height values) with the raster's planes in model order.</summary>
    public static void Fill(GeoRaster image, BandNormalization? normalization, int frames, Span<float> output)
    {
        int channels = image.BandCount / frames;
        int pixels = image.Width * image.Height;
        for (int frame = 0; frame < frames; frame++)
        {
            for (int channel = 0; channel < channels; channel++)
            {
                int band = frame * channels + channel;
                int statistic = normalization?.Count == image.BandCount ? band : channel;
                double mean = normalization?.Means[statistic] ?? 0;
                double std = normalization?.Stds[statistic] ?? 1;
                ReadOnlySpan<float> source = image.Band(band);
                Span<float> target = output.Slice((channel * frames + frame) * pixels, pixels);
                for (int i = 0; i < pixels; i++)
                {
                    float value = source[i];
                    target[i] = float.IsNaN(value) || image.IsNoData(value) ? 0f : (float)((value - mean) / std);
                }
            }
        }
    }

    /// <summary>Whether every band of the pixel is nodata or NaN: the image holds nothing there.</summary>
    public static bool IsEmptyPixel(GeoRaster image, int pixel)
    {
        for (int band = 0; band < image.BandCount; band++)
        {
            float value = image.Band(band)[pixel];
            if (!float.IsNaN(value) && !image.IsNoData(value))
            {
                return false;
            }
        }

        return true;
    }
}
