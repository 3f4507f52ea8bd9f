using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using GeoDsl.Runtime.Data;

namespace GeoDsl.Cli.Running;

/// <summary>
/// <c>run.json</c>, written by <c>geodsl train</c> beside the weights: which model they belong to and how its input was
/// normalised, so <c>geodsl predict</c> feeds new images exactly as training did.
/// </summary>
internal sealed record RunManifest(
    string Model,
    string ModelFile,
    string Weights,
    int? BestEpoch,
    IReadOnlyList<double>? Means,
    IReadOnlyList<double>? Stds,
    string NormalizationSource)
{
    public const string FileName = "run.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public BandNormalization? Normalization => Means is { Count: > 0 } && Stds is not null ? new BandNormalization(Means, Stds) : null;

    public void Write(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The manifest in the folder of <paramref name="weightsPath"/>, or null when there is none.</summary>
    public static RunManifest? Beside(string weightsPath)
    {
        string folder = Directory.Exists(weightsPath) ? weightsPath : Path.GetDirectoryName(Path.GetFullPath(weightsPath))!;
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Json)
                ?? throw new CommandInputException($"'{path}' is empty; it should describe the run that wrote the weights. Delete it to predict without it.");
        }
        catch (JsonException e)
        {
            throw new CommandInputException($"'{path}' is not a run manifest ({e.Message}). Delete it, or train again to rewrite it.");
        }
    }
}
