using System.Collections.Generic;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// Where a segmentation chip data set lives and how its files become tensors.
/// Images and masks pair by name: image "X{ImageSuffix}.tif" goes with mask "X{MaskSuffix}.tif"; or, with
/// <see cref="PairListFile"/>, as a list file says. A <see cref="SplitFile"/> keeps only the chips it names.
/// </summary>
public sealed record ChipDatasetOptions
{
    public ChipDatasetOptions(string imageFolder, string maskFolder)
    {
        ImageFolder = imageFolder;
        MaskFolder = maskFolder;
    }

    public string ImageFolder { get; init; }

    public string MaskFolder { get; init; }

    /// <summary>What image names end with before the extension, e.g. "_img" for "scene_img.tif"; "" for none.</summary>
    public string ImageSuffix { get; init; } = "";

    /// <summary>What mask names end with before the extension, e.g. "_mask" for "scene_mask.tif"; "" for none.</summary>
    public string MaskSuffix { get; init; } = "";

    /// <summary>The image bands to use, in model order. With <see cref="Frames"/> &gt; 1, frame by frame (all bands of frame 0 first).</summary>
    public BandSelection Bands { get; init; } = BandSelection.All;

    /// <summary>Per-band standardisation; null leaves values as stored.</summary>
    public BandNormalization? Normalization { get; init; }

    /// <summary>Time steps per image. Above 1, images become [B, C, T, H, W] with C = selected bands / T.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>The label written for pixels to leave out of the loss (TerraTorch's default ignore_index is -1).</summary>
    public long IgnoreIndex { get; init; } = -1;

    /// <summary>Mask values that become <see cref="IgnoreIndex"/>, besides the mask file's own nodata value.</summary>
    public IReadOnlyList<long> MaskIgnoreValues { get; init; } = new long[0];

    /// <summary>Read every chip once at construction and keep it in memory (for small data sets).</summary>
    public bool CacheInMemory { get; init; }

    /// <summary>
    /// A text file of explicit pairs, one "image, mask" per line (comma or tab between them; paths relative to the list
    /// file's folder; blank lines and lines starting with # skipped). When set, the folders and suffixes are not used.
    /// </summary>
    public string? PairListFile { get; init; }

    /// <summary>
    /// A text file of chip names, one per line (TerraTorch's <c>train_split</c>/<c>val_split</c>/<c>test_split</c>):
    /// only these chips are used. A name may be given with or without the image suffix and extension.
    /// </summary>
    public string? SplitFile { get; init; }

    /// <summary>Flips, 90° rotations and random crops for training chips; null for none (validation, test, inference).</summary>
    public ChipAugmentation? Augmentation { get; init; }

    /// <summary>Options for a data set paired by a list file (see <see cref="PairListFile"/>).</summary>
    public static ChipDatasetOptions FromPairList(string listFile) => new("", "") { PairListFile = listFile };

    /// <summary>Skip images without a mask and masks without an image instead of refusing the folders.</summary>
    public bool IgnoreUnpairedFiles { get; init; }
}
