using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Runtime.Data.GeoTiff;
using TorchSharp;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// A segmentation data set of GeoTIFF chips: an image folder and a mask folder paired by file name (or a pair list),
/// optionally narrowed by a split file. Images become normalised float32 tensors [B, C, H, W] (or [B, C, T, H, W] with
/// frames), masks int64 [B, H, W] with nodata and chosen values set to the ignore index; batches of a training set with
/// <see cref="ChipDatasetOptions.Augmentation"/> are flipped, turned and cropped, image and mask alike. Files are read
/// when a chip is asked for, unless <see cref="ChipDatasetOptions.CacheInMemory"/> reads them all at construction.
/// </summary>
public sealed class GeoTiffChipDataset
{
    private readonly ChipSample?[]? cache;
    private readonly object shapeLock = new();
    private (int Bands, ChipPair From)? bandCount;
    private long augmentationEpoch;

    public GeoTiffChipDataset(ChipDatasetOptions options)
    {
        Options = options;
        CheckOptions(options);
        Pairs = ChipPairing.Pair(options);
        if (options.CacheInMemory)
        {
            cache = new ChipSample?[Pairs.Count];
            for (int i = 0; i < Pairs.Count; i++)
            {
                cache[i] = Load(Pairs[i]);
            }
        }
    }

    public ChipDatasetOptions Options { get; }

    /// <summary>The chips, ordered by name.</summary>
    public IReadOnlyList<ChipPair> Pairs { get; }

    public int Count => Pairs.Count;

    /// <summary>The chip at <paramref name="index"/> (in name order), read now unless cached.</summary>
    public ChipSample this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Pairs.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The data set has {Pairs.Count} chips (0 to {Pairs.Count - 1}).");
            }

            return cache?[index] ?? Load(Pairs[index]);
        }
    }

    /// <summary>
    /// The chip order for one epoch: name order without a seed, a seeded shuffle with one (same seed, same order).
    /// The seed also keys the epoch's augmentation draws (<see cref="ChipDatasetOptions.Augmentation"/>).
    /// </summary>
    public int[] Order(int? shuffleSeed)
    {
        augmentationEpoch = shuffleSeed ?? 0;
        return shuffleSeed is int seed ? new DeterministicRandom(seed).Permutation(Count) : Enumerable.Range(0, Count).ToArray();
    }

    /// <summary>Batches over the whole data set, in <see cref="Order"/>; the last batch may be smaller unless dropped.</summary>
    public IEnumerable<ChipBatch> Batches(int batchSize, int? shuffleSeed = null, bool dropLast = false, torch.Device? device = null)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one chip.");
        }

        int[] order = Order(shuffleSeed);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int size = Math.Min(batchSize, order.Length - start);
            if (size < batchSize && dropLast)
            {
                yield break;
            }

            yield return GetBatch(new ArraySegment<int>(order, start, size), device);
        }
    }

    /// <summary>The given chips as one batch of tensors. All chips of a batch must have the same size.</summary>
    public ChipBatch GetBatch(IReadOnlyList<int> indices, torch.Device? device = null)
    {
        if (indices.Count == 0)
        {
            throw new ArgumentException("A batch holds at least one chip.", nameof(indices));
        }

        var samples = indices.Select(i => Options.Augmentation is { } augmentation ? Augment(augmentation, i, this[i]) : this[i]).ToArray();
        var first = samples[0];
        foreach (var other in samples.Skip(1))
        {
            if (other.Height != first.Height || other.Width != first.Width || other.Channels != first.Channels)
            {
                throw new ChipDatasetException(
                    $"Chips of one batch must share a shape: image '{first.Pair.ImagePath}' is {Describe(first)}, " +
                    $"image '{other.Pair.ImagePath}' is {Describe(other)}. Cut the images to one chip size.",
                    other.Pair.ImagePath, other.Pair.MaskPath);
            }
        }

        int imageLength = first.Image.Length;
        int maskLength = first.Mask.Length;
        var images = new float[samples.Length * imageLength];
        var masks = new long[samples.Length * maskLength];
        for (int b = 0; b < samples.Length; b++)
        {
            samples[b].Image.CopyTo(images.AsSpan(b * imageLength, imageLength));
            samples[b].Mask.CopyTo(masks.AsSpan(b * maskLength, maskLength));
        }

        var imageShape = new long[] { samples.Length }.Concat(first.ImageShape).ToArray();
        var imageTensor = torch.tensor(images, imageShape, torch.ScalarType.Float32, device);
        var maskTensor = torch.tensor(masks, new long[] { samples.Length, first.Height, first.Width }, torch.ScalarType.Int64, device);
        return new ChipBatch(imageTensor, maskTensor, samples.Select(s => s.Pair).ToArray());
    }

    /// <summary>
    /// Reads every header now and reports the first pair that does not fit (band missing, sizes differ, unreadable),
    /// so a long training run does not stop at its thousandth chip.
    /// </summary>
    public void Validate()
    {
        foreach (var pair in Pairs)
        {
            var image = Guard(pair, "image", () => GeoTiffReader.ReadInfo(pair.ImagePath));
            var mask = Guard(pair, "mask", () => GeoTiffReader.ReadInfo(pair.MaskPath));
            int bands = Guard(pair, "image", () => Options.Bands.Resolve(image)).Length;
            CheckBandCount(pair, bands);
            CheckMask(pair, mask.BandCount, mask.Width, mask.Height, image.Width, image.Height);
        }
    }

    /// <summary>
    /// Per-band mean and (population) standard deviation of the selected image bands over the data set, skipping
    /// nodata and NaN pixels: the numbers to put in <see cref="ChipDatasetOptions.Normalization"/>.
    /// <see cref="BandStatisticsReport.Compute(ChipDatasetOptions)"/> gives them with counts, minima and maxima.
    /// </summary>
    public static BandNormalization ComputeNormalization(ChipDatasetOptions options) => BandStatisticsReport.Compute(options).ToNormalization();

    private ChipSample Load(ChipPair pair)
    {
        var image = Guard(pair, "image", () => ReadImage(Options, pair));
        CheckBandCount(pair, image.BandCount);
        var mask = Guard(pair, "mask", () => GeoTiffReader.Read(pair.MaskPath));
        CheckMask(pair, mask.BandCount, mask.Width, mask.Height, image.Width, image.Height);

        int frames = Options.Frames;
        int channels = image.BandCount / frames;
        return new ChipSample(pair, channels, frames, image.Height, image.Width, NormalisedImage(pair, image, channels, frames), Labels(pair, mask));
    }

    private ChipSample Augment(ChipAugmentation augmentation, int index, ChipSample sample)
    {
        var transform = augmentation.Draw(index, augmentationEpoch, sample.Height, sample.Width);
        var (image, mask) = transform.Apply(sample.Image, sample.Mask, sample.Height, sample.Width);
        return new ChipSample(sample.Pair, sample.Channels, sample.Frames, transform.OutputHeight, transform.OutputWidth, image, mask);
    }

    internal static GeoRaster ReadImage(ChipDatasetOptions options, ChipPair pair) =>
        options.Bands.Names is { } names ? GeoTiffReader.Read(pair.ImagePath, names)
        : options.Bands.Indices is { } indices ? GeoTiffReader.Read(pair.ImagePath, indices)
        : GeoTiffReader.Read(pair.ImagePath);

    /// <summary>[C, T, H, W] from bands selected frame by frame (band s = t·C + c); nodata and NaN become 0 after normalising.</summary>
    private float[] NormalisedImage(ChipPair pair, GeoRaster image, int channels, int frames)
    {
        var normalization = Options.Normalization;
        if (!ModelInputLayout.Fits(normalization, image.BandCount, frames))
        {
            throw new ChipDatasetException(
                $"Normalization gives {normalization!.Count} means/stds, but image '{pair.ImagePath}' (mask '{pair.MaskPath}') has " +
                $"{image.BandCount} selected band(s){(frames > 1 ? $" ({channels} per frame × {frames} frames)" : "")}. " +
                "Give one mean and std per selected band" + (frames > 1 ? " or per band of a frame." : "."),
                pair.ImagePath, pair.MaskPath);
        }

        var output = new float[image.BandCount * image.Width * image.Height];
        ModelInputLayout.Fill(image, normalization, frames, output);
        return output;
    }

    private long[] Labels(ChipPair pair, GeoRaster mask)
    {
        var labels = new long[mask.Width * mask.Height];
        var ignored = new HashSet<long>(Options.MaskIgnoreValues);
        for (int i = 0; i < labels.Length; i++)
        {
            double value = mask.ExactValue(0, i / mask.Width, i % mask.Width);
            if (mask.IsNoData(value))
            {
                labels[i] = Options.IgnoreIndex;
                continue;
            }

            if (double.IsNaN(value) || Math.Floor(value) != value)
            {
                throw new ChipDatasetException(
                    $"Mask '{pair.MaskPath}' (image '{pair.ImagePath}') holds {value.ToString(CultureInfo.InvariantCulture)} at row {i / mask.Width} col {i % mask.Width}; " +
                    "mask values are class numbers (whole numbers). Round the mask, or mark such pixels nodata.",
                    pair.ImagePath, pair.MaskPath);
            }

            long label = (long)value;
            labels[i] = ignored.Contains(label) ? Options.IgnoreIndex : label;
        }

        return labels;
    }

    /// <summary>All images must give the same number of bands; the first chip read sets it.</summary>
    private void CheckBandCount(ChipPair pair, int bands)
    {
        lock (shapeLock)
        {
            if (Options.Frames > 1 && bands % Options.Frames != 0)
            {
                throw new ChipDatasetException(
                    $"Image '{pair.ImagePath}' (mask '{pair.MaskPath}') gives {bands} band(s) for {Options.Bands}, which does not split into {Options.Frames} frames. " +
                    "Select the same bands for every frame (frame by frame).",
                    pair.ImagePath, pair.MaskPath);
            }

            if (bandCount is null)
            {
                bandCount = (bands, pair);
            }
            else if (bandCount.Value.Bands != bands)
            {
                var (expected, from) = bandCount.Value;
                throw new ChipDatasetException(
                    $"Image '{pair.ImagePath}' (mask '{pair.MaskPath}') has {bands} band(s), but image '{from.ImagePath}' has {expected}. " +
                    "Every image must give the same bands; select bands by name or index to use a common set.",
                    pair.ImagePath, pair.MaskPath);
            }
        }
    }

    private static void CheckMask(ChipPair pair, int maskBands, int maskWidth, int maskHeight, int imageWidth, int imageHeight)
    {
        if (maskBands != 1)
        {
            throw new ChipDatasetException(
                $"Mask '{pair.MaskPath}' (for image '{pair.ImagePath}') has {maskBands} bands; a segmentation mask has one band of class numbers.",
                pair.ImagePath, pair.MaskPath);
        }

        if (maskWidth != imageWidth || maskHeight != imageHeight)
        {
            throw new ChipDatasetException(
                $"Image '{pair.ImagePath}' is {imageWidth}×{imageHeight} pixels but its mask '{pair.MaskPath}' is {maskWidth}×{maskHeight} (width×height). " +
                "A mask labels every image pixel: cut both to the same extent.",
                pair.ImagePath, pair.MaskPath);
        }
    }

    private void CheckOptions(ChipDatasetOptions options)
    {
        if (options.Frames < 1)
        {
            throw new ChipDatasetException($"Frames is {options.Frames}; an image has at least one frame.");
        }

        if (options.Bands.Count is int count && count % options.Frames != 0)
        {
            throw new ChipDatasetException(
                $"{count} selected band(s) ({options.Bands}) do not split into {options.Frames} frames; select the same bands for every frame, frame by frame.");
        }

        if (options.Bands.Count is int selected && options.Normalization is { } normalization
            && normalization.Count != selected && normalization.Count * options.Frames != selected)
        {
            throw new ChipDatasetException(
                $"Normalization gives {normalization.Count} means/stds for {selected} selected band(s) ({options.Bands}); give one per selected band" +
                (options.Frames > 1 ? $" or one per band of a frame ({selected / options.Frames})." : "."));
        }
    }

    internal static T Guard<T>(ChipPair pair, string which, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (GeoTiffException error)
        {
            throw new ChipDatasetException(
                $"Chip '{pair.Name}': the {which} cannot be used (image '{pair.ImagePath}', mask '{pair.MaskPath}'). {error.Message}",
                pair.ImagePath, pair.MaskPath, error);
        }
    }

    private static string Describe(ChipSample sample) =>
        $"{sample.Channels}{(sample.Frames > 1 ? $"×{sample.Frames}" : "")} band(s) of {sample.Width}×{sample.Height}";
}
