namespace GeoDsl.Composition.Catalog;

/// <summary>Parameter counts of the standard layers, from their shapes.</summary>
internal static class ConvCounts
{
    /// <summary>Conv2d or ConvTranspose2d with a square kernel.</summary>
    public static long Conv(long inChannels, long outChannels, long kernel, bool bias) =>
        (inChannels * outChannels * kernel * kernel) + (bias ? outChannels : 0);

    /// <summary>BatchNorm/LayerNorm weight and bias (running statistics are buffers).</summary>
    public static long BatchNorm(long channels) => 2 * channels;

    public static long Linear(long inFeatures, long outFeatures, bool bias = true) => (inFeatures * outFeatures) + (bias ? outFeatures : 0);
}
