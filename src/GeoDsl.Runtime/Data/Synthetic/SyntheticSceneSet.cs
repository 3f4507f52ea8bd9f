using System.Collections.Generic;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>Where <see cref="SyntheticWaterScenes.WriteTiles"/> put its scenes, and whether it wrote them now or found them complete.</summary>
public sealed record SyntheticSceneSet(
    string Folder,
    string ImageFolder,
    string MaskFolder,
    int Count,
    int Size,
    int Seed,
    bool WrittenNow,
    IReadOnlyList<string> ImagePaths,
    IReadOnlyList<string> MaskPaths)
{
    /// <summary>Options for a <see cref="GeoTiffChipDataset"/> over these scenes: the six bands by name, cloud and no-data pixels ignored.</summary>
    public ChipDatasetOptions DatasetOptions() => new(ImageFolder, MaskFolder)
    {
        Bands = BandSelection.ByName(HlsReflectance.BandNames),
    };
}
