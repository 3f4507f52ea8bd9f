using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Cli.Running;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Weights;
using TorchSharp;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>geodsl predict &lt;file&gt; --weights W --input IN.tif --output OUT.tif</c>: runs a trained <c>.geomodel</c> on a
/// GeoTIFF and writes its prediction (class numbers, or values for regression) with the input's georeferencing.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Written where the input has no data in any band.</summary>
    public const byte ClassNoData = 255;

    public const float ValueNoData = -9999f;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .geomodel file" };
        var model = new Option<string?>("--model") { Description = "Which model, when the file declares several" };
        var weights = new Option<string>("--weights") { Description = "The trained weights (.safetensors), e.g. runs/MODEL/best.safetensors", Required = true };
        var input = new Option<string>("--input") { Description = "A GeoTIFF with the model's bands", Required = true };
        var target = new Option<string>("--output", "-o") { Description = "The GeoTIFF to write", Required = true };
        var command = new Command("predict", "Run a trained model on a GeoTIFF and write the prediction as a GeoTIFF with the input's georeferencing.")
        {
            file, model, weights, input, target,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(weights)!, parse.GetValue(input)!, parse.GetValue(target)!, output, error));
        return command;
    }

    public static int Run(string modelFile, string? modelName, string weights, string input, string target, TextWriter output, TextWriter error)
    {
        var loaded = ModelLoader.TryLoad(modelFile, modelName, "predicting", error, out int exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        try
        {
            return Predict(loaded, weights, input, target, output, error);
        }
        catch (Exception e) when (e is CommandInputException or GeoTiffException or StateDictMismatchException or SafetensorsFormatException
            or SafetensorsIndexException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("geodsl: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }
    }

    private static int Predict(LoadedModel loaded, string weights, string input, string target, TextWriter output, TextWriter error)
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
        var scene = SceneInput.Read(input, spec.Input, normalization);

        using var model = loaded.Build();
        model.LoadSafetensors(weights);
        model.eval();
        GeoRaster prediction;
        string summary;
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            var result = model.Predict(scene.ToTensor(spec.Input)).Output;
            (prediction, summary) = spec.Task == ModelTask.Segmentation ? Classes(result, scene) : Values(result, scene);
        }

        GeoTiffWriter.Write(target, prediction);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name}: wrote {target} ({prediction.Width}×{prediction.Height}{(prediction.Epsg is int epsg ? $", EPSG:{epsg}" : "")}): {summary}"));
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

    /// <summary>The most likely class of every pixel; <see cref="ClassNoData"/> where the input has no data.</summary>
    private static (GeoRaster Raster, string Summary) Classes(torch.Tensor scores, SceneInput scene)
    {
        long classes = scores.shape[1];
        var labels = scores.argmax(1).flatten().to_type(torch.ScalarType.Int64).data<long>().ToArray();
        var band = new float[labels.Length];
        var counts = new long[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if (scene.Valid[i])
            {
                band[i] = labels[i];
                counts[labels[i]]++;
            }
            else
            {
                band[i] = ClassNoData;
            }
        }

        long valid = counts.Sum();
        var raster = Georeferenced(scene, classes < ClassNoData ? RasterDataType.Byte : RasterDataType.UInt16, band, "CLASS", classes < ClassNoData ? ClassNoData : ushort.MaxValue);
        string shares = string.Join(", ", counts.Select((c, k) => string.Create(CultureInfo.InvariantCulture, $"class {k} {100.0 * c / Math.Max(valid, 1):F1}%")));
        return (raster, $"{shares} of {valid} pixels with data");
    }

    /// <summary>The regression value of every pixel; <see cref="ValueNoData"/> where the input has no data.</summary>
    private static (GeoRaster Raster, string Summary) Values(torch.Tensor values, SceneInput scene)
    {
        var band = values.flatten().to_type(torch.ScalarType.Float32).data<float>().ToArray();
        for (int i = 0; i < band.Length; i++)
        {
            band[i] = scene.Valid[i] ? band[i] : ValueNoData;
        }

        var kept = band.Where((_, i) => scene.Valid[i]).ToArray();
        string range = kept.Length == 0 ? "no pixel with data" : string.Create(CultureInfo.InvariantCulture, $"values {kept.Min():G4} to {kept.Max():G4}, mean {kept.Average():G4}");
        return (Georeferenced(scene, RasterDataType.Float32, band, "PREDICTION", ValueNoData), range);
    }

    private static GeoRaster Georeferenced(SceneInput scene, RasterDataType type, float[] band, string description, double noData) =>
        new(scene.Raster.Width, scene.Raster.Height, type, new[] { band })
        {
            GeoTransform = scene.Raster.GeoTransform,
            Epsg = scene.Raster.Epsg,
            NoData = noData,
            BandDescriptions = new[] { description },
        };
}
