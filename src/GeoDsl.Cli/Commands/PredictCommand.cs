using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Cli.Running;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Inference;
using GeoDsl.Runtime.Weights;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>geodsl predict &lt;file&gt; --weights W --input IN.tif --output OUT.tif</c>: runs a trained <c>.geomodel</c> on a
/// GeoTIFF of any size by tiled inference and writes its prediction (class numbers, or values for regression) with the
/// input's georeferencing.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .geomodel file" };
        var model = new Option<string?>("--model") { Description = "Which model, when the file declares several" };
        var weights = new Option<string>("--weights") { Description = "The trained weights (.safetensors), e.g. runs/MODEL/best.safetensors", Required = true };
        var input = new Option<string>("--input") { Description = "A GeoTIFF with the model's bands", Required = true };
        var target = new Option<string>("--output", "-o") { Description = "The GeoTIFF to write", Required = true };
        var crop = new Option<int?>("--crop") { Description = "Tile size in pixels (default: the model's input size)" };
        var stride = new Option<int?>("--stride") { Description = "Step between tiles (default: an eighth of the tile overlaps)" };
        var delta = new Option<int?>("--delta") { Description = "Pixels discarded at each tile edge before blending (default: half the overlap, at most 8)" };
        var batch = new Option<int?>("--tile-batch") { Description = "Tiles per forward pass (default 16); memory grows with it" };
        var command = new Command("predict", "Run a trained model on a GeoTIFF of any size (tiled, cosine-blended) and write the prediction as a GeoTIFF with the input's georeferencing.")
        {
            file, model, weights, input, target, crop, stride, delta, batch,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(weights)!, parse.GetValue(input)!, parse.GetValue(target)!, output, error,
            new TilingArguments(parse.GetValue(crop), parse.GetValue(stride), parse.GetValue(delta), parse.GetValue(batch))));
        return command;
    }

    /// <summary>Tiling settings given on the command line; null keeps the model's default.</summary>
    public sealed record TilingArguments(int? Crop, int? Stride, int? Delta, int? BatchSize)
    {
        public TiledInferenceOptions Apply(TiledInferenceOptions defaults)
        {
            var tiling = Crop is int crop ? TiledInferenceOptions.ForCrop(crop) with { BatchSize = defaults.BatchSize, Blending = defaults.Blending } : defaults;
            return tiling with
            {
                Stride = Stride ?? tiling.Stride,
                Delta = Delta ?? tiling.Delta,
                BatchSize = BatchSize ?? tiling.BatchSize,
            };
        }
    }

    public static int Run(string modelFile, string? modelName, string weights, string input, string target, TextWriter output, TextWriter error, TilingArguments? tiling = null)
    {
        var loaded = ModelLoader.TryLoad(modelFile, modelName, "predicting", error, out int exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        try
        {
            return Predict(loaded, weights, input, target, output, error, tiling ?? new TilingArguments(null, null, null, null));
        }
        catch (Exception e) when (e is CommandInputException or ArgumentException or GeoTiffException or StateDictMismatchException or SafetensorsFormatException
            or SafetensorsIndexException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("geodsl: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }
    }

    private static int Predict(LoadedModel loaded, string weights, string input, string target, TextWriter output, TextWriter error, TilingArguments tiling)
    {
        var spec = loaded.Analysis.Spec;
        if (spec.Task == ModelTask.Classification)
        {
            throw new CommandInputException($"{spec.Name} is a classification model: it gives one label per image, not a raster. predict writes pixel-wise predictions (segmentation, regression).");
        }

        if (!File.Exists(weights) && !Directory.Exists(weights))
        {
            throw new CommandInputException($"--weights '{weights}' does not exist. Give the .safetensors file a training run wrote (runs/{spec.Name}/best.safetensors by default).");
        }

        if (!File.Exists(input))
        {
            throw new CommandInputException($"--input '{input}' does not exist. Give a GeoTIFF with the bands {string.Join(", ", spec.Input.Bands)}.");
        }

        var normalization = Normalization(spec, weights, error);
        var bands = ModelInputBands.For(spec.Input, GeoTiffReader.ReadInfo(input));

        using var model = loaded.Build();
        model.LoadSafetensors(weights);

        // Tiled, so a scene of any size runs in the memory of one row of tiles (Runtime/Inference/ScenePredictor).
        var defaults = ScenePredictor.DefaultOptions(model);
        var options = defaults with
        {
            Tiling = tiling.Apply(defaults.Tiling),
            Bands = bands,
            Normalization = normalization,
            Output = spec.Task == ModelTask.Segmentation ? PredictionOutput.Classes : PredictionOutput.Probabilities,
        };
        var report = ScenePredictor.Predict(model, input, target, options);

        var (summary, epsg) = Summarise(target, spec.Task == ModelTask.Segmentation);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name}: wrote {target} ({report.Width}×{report.Height}{(epsg is int code ? $", EPSG:{code}" : "")}, {report.Tiles} tiles of {options.Tiling.Crop} px in {report.Batches} batches): {summary}"));
        return GeoDslCommandLine.Success;
    }

    /// <summary>
    /// The run's <c>run.json</c> beside the weights first (how training normalised), the model's declared means/stds
    /// second, values as stored last.
    /// </summary>
    private static BandNormalization? Normalization(ModelSpec spec, string weights, TextWriter error)
    {
        if (RunManifest.Beside(weights) is { } run)
        {
            if (run.Model != spec.Name)
            {
                throw new CommandInputException(
                    $"'{weights}' was trained for model {run.Model} (its {RunManifest.FileName} says so), not {spec.Name}. Pass the model it was trained for, or its own weights.");
            }

            return run.Normalization;
        }

        var declared = ModelInputBands.DeclaredNormalization(spec.Input);
        if (declared is null)
        {
            error.WriteLine($"geodsl: note: no {RunManifest.FileName} beside '{weights}' and no means/stds in {spec.Name}; the image's values reach the model as stored.");
        }

        return declared;
    }

    /// <summary>
    /// Class shares (segmentation) or the value range (regression) of the written prediction, read back a band of rows
    /// at a time so a large scene is never whole in memory.
    /// </summary>
    private static (string Summary, int? Epsg) Summarise(string path, bool classes)
    {
        using var reader = GeoTiffWindowReader.Open(path);
        var info = reader.Info;
        var counts = new SortedDictionary<int, long>();
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        long kept = 0;
        const int Rows = 256;
        for (int row = 0; row < info.Height; row += Rows)
        {
            var window = reader.Read(new RasterWindow(0, row, info.Width, Math.Min(Rows, info.Height - row)), new[] { 0 });
            foreach (float value in window.Band(0))
            {
                if (float.IsNaN(value) || window.IsNoData(value))
                {
                    continue;
                }

                kept++;
                if (classes)
                {
                    counts[(int)value] = counts.GetValueOrDefault((int)value) + 1;
                }
                else
                {
                    sum += value;
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                }
            }
        }

        string summary = classes
            ? string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"class {c.Key} {100.0 * c.Value / Math.Max(kept, 1):F1}%"))) + $" of {kept} pixels with data"
            : kept == 0 ? "no pixel with data" : string.Create(CultureInfo.InvariantCulture, $"values {min:G4} to {max:G4}, mean {sum / kept:G4}");
        return (summary, info.Epsg);
    }
}
