using System.Diagnostics;
using System.IO;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.Synthetic;

namespace GeoDsl.Quickstart;

/// <summary>
/// The quickstart's data: synthetic HLS-like water scenes written once into the cache folder (a later run finds them
/// complete and writes nothing), split by file into a training set and a held-out set drawn with another seed, read
/// back through <see cref="GeoTiffChipDataset"/> as any GeoTIFF chips would be.
/// </summary>
internal sealed record QuickstartData(GeoTiffChipDataset Training, GeoTiffChipDataset HeldOut, BandNormalization Normalization, bool WrittenNow, double Seconds)
{
    public const int ChipSize = 64;
    public const int TrainingScenes = 256;
    public const int HeldOutScenes = 64;
    public const int TrainingSeed = 1;
    public const int HeldOutSeed = 2;

    public static QuickstartData Prepare(string cacheFolder)
    {
        var clock = Stopwatch.StartNew();
        var training = SyntheticWaterScenes.WriteTiles(Path.Combine(cacheFolder, "train"), TrainingScenes, ChipSize, TrainingSeed);
        var heldOut = SyntheticWaterScenes.WriteTiles(Path.Combine(cacheFolder, "heldout"), HeldOutScenes, ChipSize, HeldOutSeed);

        // Statistics from the training files only, so nothing about the held-out scenes leaks into the model.
        var normalization = GeoTiffChipDataset.ComputeNormalization(training.DatasetOptions());
        var trainingSet = new GeoTiffChipDataset(training.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
        var heldOutSet = new GeoTiffChipDataset(heldOut.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
        return new QuickstartData(trainingSet, heldOutSet, normalization, training.WrittenNow || heldOut.WrittenNow, clock.Elapsed.TotalSeconds);
    }
}
