using System;
using System.IO;
using System.Linq;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// A data set's training, validation and test parts, as TerraTorch's data modules take them: from one folder per split
/// (its <c>train_data_root</c>, <c>val_data_root</c>, <c>test_data_root</c>) or from split files over one folder
/// (<c>train_split</c>, <c>val_split</c>, <c>test_split</c>).
/// </summary>
public sealed record ChipSplits(ChipDatasetOptions Train, ChipDatasetOptions? Validation, ChipDatasetOptions? Test)
{
    private static readonly string[] TrainNames = { "train", "training" };
    private static readonly string[] ValidationNames = { "val", "validation", "valid" };
    private static readonly string[] TestNames = { "test", "testing" };

    /// <summary>
    /// Splits from folders: <paramref name="root"/>/train, /val (or validation) and /test, each holding an image and a mask
    /// folder named <paramref name="imageFolder"/> and <paramref name="maskFolder"/>. The training split is required.
    /// Every split shares the settings of <paramref name="template"/> (bands, normalisation, suffixes), the training one
    /// also its augmentation.
    /// </summary>
    public static ChipSplits FromFolders(string root, ChipDatasetOptions? template = null, string imageFolder = "images", string maskFolder = "masks")
    {
        if (!Directory.Exists(root))
        {
            throw new ChipDatasetException($"The data folder '{root}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        template ??= new ChipDatasetOptions("", "");
        ChipDatasetOptions? Split(string[] names, bool training)
        {
            string? folder = names.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
            return folder is null ? null : template with
            {
                ImageFolder = Path.Combine(folder, imageFolder),
                MaskFolder = Path.Combine(folder, maskFolder),
                Augmentation = training ? template.Augmentation : null,
            };
        }

        var train = Split(TrainNames, training: true)
            ?? throw new ChipDatasetException(
                $"The data folder '{root}' has no training split: expected a folder '{Path.Combine(root, "train")}' holding '{imageFolder}' and '{maskFolder}'.");
        return new ChipSplits(train, Split(ValidationNames, training: false), Split(TestNames, training: false));
    }

    /// <summary>Splits from split files (one chip name per line) over the folders (or pair list) of <paramref name="all"/>.</summary>
    public static ChipSplits FromSplitFiles(ChipDatasetOptions all, string trainSplit, string? validationSplit = null, string? testSplit = null) => new(
        all with { SplitFile = trainSplit },
        validationSplit is null ? null : all with { SplitFile = validationSplit, Augmentation = null },
        testSplit is null ? null : all with { SplitFile = testSplit, Augmentation = null });
}
