using GeoDsl.Runtime.Data.Synthetic;

namespace GeoDsl.Cli.Tests;

/// <summary>
/// One tiny training run shared by the train and predict tests: 8 synthetic 64-pixel water chips, the reference
/// tiny water model, one epoch, through the command line.
/// </summary>
public sealed class TrainPredictFixture : IDisposable
{
    public const int Chips = 8;
    public const int ChipSize = 64;

    public TrainPredictFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "geodsl-cli-train-" + Guid.NewGuid().ToString("N"));
        Data = SyntheticWaterScenes.WriteTiles(Path.Combine(Folder, "data"), Chips, ChipSize, seed: 5);
        RunFolder = Path.Combine(Folder, "run");
        Training = CliRunner.Run("train", ModelFile, "--data", Data.Folder, "--epochs", "1", "--out", RunFolder, "--threads", "1", "--progress", "off");
    }

    public static string ModelFile => CliRunner.Reference("water_prithvi_tiny.geomodel");

    public string Folder { get; }

    public SyntheticSceneSet Data { get; }

    public string RunFolder { get; }

    public string Weights => Path.Combine(RunFolder, "best.safetensors");

    internal CliResult Training { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
