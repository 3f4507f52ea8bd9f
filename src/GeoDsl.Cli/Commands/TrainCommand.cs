using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using GeoDsl.Cli.Running;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Progress;
using GeoDsl.Runtime.Visualization;
using GeoDsl.Runtime.Weights;
using TorchSharp;

namespace GeoDsl.Cli.Commands;

/// <summary>What <c>geodsl train</c> was asked to do.</summary>
internal sealed record TrainRequest(string ModelFile, string? ModelName, string ImageFolder, string MaskFolder, string RunFolder)
{
    public string ImageSuffix { get; init; } = "";

    public string MaskSuffix { get; init; } = "";

    /// <summary>A folder with <c>images/</c> and <c>masks/</c> scored after every epoch.</summary>
    public string? ValidationFolder { get; init; }

    public int? Epochs { get; init; }

    public int? BatchSize { get; init; }

    public int? Seed { get; init; }

    public int? Threads { get; init; }

    public string? Pretrained { get; init; }

    public bool Overwrite { get; init; }

    public TrainingProgressMode Progress { get; init; } = TrainingProgressMode.Auto;
}

/// <summary>
/// <c>geodsl train &lt;file&gt; --data DIR</c>: trains a <c>.geomodel</c> directly, through the runtime composition the
/// generated classes use and <see cref="GeoTrainer"/>, with the model's <c>train { }</c> settings.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .geomodel file" };
        var model = new Option<string?>("--model") { Description = "Which model, when the file declares several" };
        var data = new Option<string?>("--data") { Description = "Training chips: a folder with images/ and masks/ (GeoTIFFs paired by file name)" };
        var images = new Option<string?>("--images") { Description = "The image folder, when not DATA/images" };
        var masks = new Option<string?>("--masks") { Description = "The mask folder, when not DATA/masks" };
        var imageSuffix = new Option<string>("--image-suffix") { Description = "What image names end with before .tif, e.g. _img", DefaultValueFactory = _ => "" };
        var maskSuffix = new Option<string>("--mask-suffix") { Description = "What mask names end with before .tif, e.g. _mask", DefaultValueFactory = _ => "" };
        var validation = new Option<string?>("--validation") { Description = "Held-out chips scored after every epoch: a folder with images/ and masks/" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs, instead of the train block's" };
        var batch = new Option<int?>("--batch-size") { Description = "Chips per step, instead of the train block's" };
        var seed = new Option<int?>("--seed") { Description = "Seed for the first weights, dropout and chip order, instead of the train block's" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp" };
        var runFolder = new Option<string?>("--out") { Description = "The run folder (default runs/MODEL): best.safetensors, history.csv, run.json, curves.png, predictions.png" };
        var pretrained = new Option<string?>("--pretrained") { Description = "Backbone weights to start from (.safetensors, a sharded index or a folder)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a run already in the run folder" };
        var progress = new Option<TrainingProgressMode>("--progress") { Description = "auto (a live bar in a terminal, lines otherwise), live, plain or off", DefaultValueFactory = _ => TrainingProgressMode.Auto };
        var command = new Command("train", "Train a model on GeoTIFF chips with its train { } settings, without writing C#.")
        {
            file, model, data, images, masks, imageSuffix, maskSuffix, validation, epochs, batch, seed, threads, runFolder, pretrained, overwrite, progress,
        };
        command.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            string? imageFolder = parse.GetValue(images) ?? (dataFolder is null ? null : Path.Combine(dataFolder, "images"));
            string? maskFolder = parse.GetValue(masks) ?? (dataFolder is null ? null : Path.Combine(dataFolder, "masks"));
            if (imageFolder is null || maskFolder is null)
            {
                error.WriteLine("geodsl: train needs chips: --data DIR (with images/ and masks/), or --images DIR and --masks DIR.");
                return GeoDslCommandLine.UsageError;
            }

            var request = new TrainRequest(parse.GetValue(file)!, parse.GetValue(model), imageFolder, maskFolder, parse.GetValue(runFolder) ?? "")
            {
                ImageSuffix = parse.GetValue(imageSuffix)!,
                MaskSuffix = parse.GetValue(maskSuffix)!,
                ValidationFolder = parse.GetValue(validation),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Pretrained = parse.GetValue(pretrained),
                Overwrite = parse.GetValue(overwrite),
                Progress = parse.GetValue(progress),
            };
            return Run(request, output, error);
        });
        return command;
    }

    public static int Run(TrainRequest request, TextWriter output, TextWriter error)
    {
        var loaded = ModelLoader.TryLoad(request.ModelFile, request.ModelName, "training", error, out int exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        // Ctrl+C stops after the current step; the epochs done so far keep their history and best weights.
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
                error.WriteLine("geodsl: stopping after this step (Ctrl+C again to quit at once)");
            }
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return Train(loaded, request, cancellation.Token, output, error);
        }
        catch (Exception e) when (e is CommandInputException or ChipDatasetException or GeoTiffException or TrainingException or NotSupportedException
            or StateDictMismatchException or SafetensorsFormatException or SafetensorsIndexException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("geodsl: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static int Train(LoadedModel loaded, TrainRequest request, CancellationToken cancellation, TextWriter output, TextWriter error)
    {
        var spec = loaded.Analysis.Spec;
        string runFolder = Path.GetFullPath(request.RunFolder.Length > 0 ? request.RunFolder : Path.Combine("runs", spec.Name));
        if (!request.Overwrite && File.Exists(Path.Combine(runFolder, RunManifest.FileName)))
        {
            throw new CommandInputException($"'{runFolder}' already holds a run ({RunManifest.FileName}, best.safetensors). Choose another --out, or pass --overwrite to replace it.");
        }

        if (request.Pretrained is { } pretrainedPath && !File.Exists(pretrainedPath) && !Directory.Exists(pretrainedPath))
        {
            throw new CommandInputException($"--pretrained '{pretrainedPath}' does not exist. Give a .safetensors file, a sharded *.index.json or a folder holding one.");
        }

        var (training, normalization, normalizationSource) = TrainingData(spec, request, error);
        var validation = request.ValidationFolder is { } held
            ? Dataset(training.Options with { ImageFolder = Path.Combine(held, "images"), MaskFolder = Path.Combine(held, "masks") })
            : null;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name} ({loaded.Path}): {loaded.Analysis.Parameters.Total:N0} parameters; {training.Count} training chip(s){(validation is null ? "" : $", {validation.Count} validation chip(s)")}; {training.Options.Bands}"));
        output.WriteLine($"normalization: {normalizationSource}");

        if (request.Threads is int threads)
        {
            torch.set_num_threads(threads);
        }

        var options = new TrainingOptions
        {
            Epochs = request.Epochs,
            BatchSize = request.BatchSize,
            Seed = request.Seed,
            OutputFolder = runFolder,
            Progress = request.Progress,
            Cancellation = cancellation,
        };
        var settings = TrainingSettings.Resolve(spec, options);

        // Seeding before the model is built makes its first weights, and so the whole run, reproducible.
        torch.manual_seed(settings.Seed);
        using var model = loaded.Build();
        if (request.Pretrained is { } pretrained)
        {
            var report = model.LoadPretrainedBackbone(pretrained);
            output.WriteLine($"pretrained backbone: {report}");
        }

        output.WriteLine($"training: {settings}");
        var run = GeoTrainer.Fit(model, training, validation, options);
        if (run.BestEpoch is not { } best)
        {
            error.WriteLine($"geodsl: no epoch completed{(run.Cancelled ? " before the run was stopped" : "")}; nothing was saved in '{runFolder}'.");
            return GeoDslCommandLine.RunFailed;
        }

        string weights = run.BestWeightsPath!;
        new RunManifest(spec.Name, Path.GetFullPath(loaded.Path), Path.GetFileName(weights), best.Epoch, normalization?.Means, normalization?.Stds, normalizationSource)
            .Write(runFolder);

        // The pictures show the best epoch's weights, the ones the summary reports.
        if (best.Epoch != run.LastEpoch!.Epoch)
        {
            model.LoadSafetensors(weights);
        }

        string curves = TrainingCurves.Write(Path.Combine(runFolder, "curves.png"), run);
        string predictions = PredictionPreview.Write(Path.Combine(runFolder, "predictions.png"), model, validation ?? training,
            new PredictionPreviewOptions { Title = $"{spec.Name} after epoch {best.Epoch}: {(validation is null ? "training" : "validation")} chips" });

        var score = best.ValidationMetrics ?? best.TrainMetrics;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best epoch {best.Epoch}/{best.Epochs}: train loss {best.TrainLoss:F4}, {(best.ValidationMetrics is null ? "train" : "validation")} {score.PrimaryName} {score.Primary:F4}{(run.Cancelled ? " (stopped early)" : "")}"));
        output.WriteLine($"weights:     {weights}");
        output.WriteLine($"history:     {Path.Combine(runFolder, "history.csv")}");
        output.WriteLine($"curves:      {curves}");
        output.WriteLine($"predictions: {predictions}");
        output.WriteLine($"next:        geodsl predict {loaded.Path} --weights {weights} --input SCENE.tif --output PREDICTION.tif");
        return GeoDslCommandLine.Success;
    }

    /// <summary>
    /// The training chips, with the bands the model takes and its normalization: the model's declared means/stds, or
    /// statistics of the training images (recorded in run.json so predict normalises new images the same way).
    /// </summary>
    private static (GeoTiffChipDataset Data, BandNormalization? Normalization, string Source) TrainingData(
        GeoDsl.Composition.Specs.ModelSpec spec, TrainRequest request, TextWriter error)
    {
        var options = new ChipDatasetOptions(request.ImageFolder, request.MaskFolder)
        {
            ImageSuffix = request.ImageSuffix,
            MaskSuffix = request.MaskSuffix,
            Frames = spec.Input.Frames,
            IgnoreIndex = spec.Train.IgnoreIndex,
        };

        // Which bands to take is decided on the first image; Validate() then holds every chip to the same.
        var first = new GeoTiffChipDataset(options).Pairs[0];
        options = options with { Bands = ModelInputBands.For(spec.Input, GeoTiffReader.ReadInfo(first.ImagePath)) };
        if (ModelInputBands.DeclaredNormalization(spec.Input) is { } declared)
        {
            return (Dataset(options with { Normalization = declared }), declared, $"the model's means and stds ({declared})");
        }

        var computed = GeoTiffChipDataset.ComputeNormalization(options);
        error.WriteLine($"geodsl: note: {spec.Name} declares no input means/stds; normalising with the training images' statistics (recorded in {RunManifest.FileName}).");
        return (Dataset(options with { Normalization = computed }), computed, $"computed from the training images ({computed})");
    }

    private static GeoTiffChipDataset Dataset(ChipDatasetOptions options)
    {
        var data = new GeoTiffChipDataset(options);
        data.Validate();
        return data;
    }
}
