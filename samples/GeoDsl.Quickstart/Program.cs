using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Inference;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Training.Metrics;
using GeoDsl.Runtime.Visualization;
using TorchSharp;

namespace GeoDsl.Quickstart;

/// <summary>
/// Trains the water mapper declared in WaterMapper.geomodel on synthetic scenes and shows how well it maps water on
/// scenes it never saw: per-epoch loss and held-out mIoU, an evaluation of the best weights, a tiled prediction of a
/// scene four times the model's input on each side written as GeoTIFFs, and pictures of all of it.
/// </summary>
internal static class Program
{
    private const int Failed = 1;
    private const int BadArguments = 2;
    private const int BelowRequiredScore = 3;

    private static int Main(string[] args)
    {
        QuickstartSettings settings;
        try
        {
            settings = QuickstartSettings.Parse(args);
        }
        catch (QuickstartUsageException usage)
        {
            if (usage.Message.Length > 0)
            {
                Console.Error.WriteLine(usage.Message);
            }

            Console.Error.WriteLine(QuickstartSettings.Usage);
            return usage.Message.Length > 0 ? BadArguments : 0;
        }

        // Ctrl+C stops training after the current step; the pictures are still drawn from the epochs done.
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
                Console.Error.WriteLine("stopping after this step (Ctrl+C again to quit at once)");
            }
        };

        try
        {
            return Run(settings, cancellation.Token);
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"quickstart failed: {error.Message}");
            Console.Error.WriteLine(error);
            return Failed;
        }
    }

    private static int Run(QuickstartSettings settings, CancellationToken cancellation)
    {
        var analysis = QuickstartWaterMapper.Analysis;
        var spec = analysis.Spec;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GeoDsl quickstart: {spec.Name}, a {spec.Task.ToString().ToLowerInvariant()} model with {analysis.Parameters.Total:N0} parameters"));
        foreach (var stage in analysis.Trace.Stages)
        {
            Console.WriteLine($"  {stage}");
        }

        var data = QuickstartData.Prepare(settings.CacheFolder);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data: {data.Training.Count} training + {data.HeldOut.Count} held-out synthetic {QuickstartData.ChipSize}×{QuickstartData.ChipSize} HLS scenes " +
            $"in {settings.CacheFolder} ({(data.WrittenNow ? "written" : "found")} and read in {data.Seconds:F1} s)"));

        torch.set_num_threads(settings.Threads);
        // Seeding before the model is built makes its initial weights, and so the whole run, reproducible.
        torch.manual_seed(spec.Train.Seed);
        using var model = new QuickstartWaterMapper();

        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            OutputFolder = settings.OutputFolder,
            Cancellation = cancellation,
        };
        Console.WriteLine($"training: {TrainingSettings.Resolve(spec, options)}, {settings.Threads} thread(s)");
        var report = GeoTrainer.Fit(model, data.Training, data.HeldOut, options);
        if (report.BestEpoch is not { } best)
        {
            Console.Error.WriteLine("no epoch completed");
            return Failed;
        }

        // The pictures show the best epoch's weights, the ones the summary reports.
        if (report.BestWeightsPath is { } bestWeights && best.Epoch != report.LastEpoch!.Epoch)
        {
            GeoDsl.Runtime.Weights.ModuleWeightsExtensions.LoadSafetensors(model, bestWeights);
        }

        var (heldOutLoss, heldOutScores) = GeoTrainer.Evaluate(model, data.HeldOut);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluation of epoch {best.Epoch}'s weights on the {data.HeldOut.Count} held-out scenes: loss {heldOutLoss:F4}, {Describe(heldOutScores)}"));

        string predictions = PredictionPreview.Write(Path.Combine(settings.OutputFolder, "predictions.png"), model, data.HeldOut, new PredictionPreviewOptions
        {
            SampleCount = 4,
            ClassNames = ClassNames,
            Title = $"{spec.Name} after epoch {best.Epoch}: held-out scenes",
        });
        string curves = TrainingCurves.Write(Path.Combine(settings.OutputFolder, "curves.png"), report);

        var scene = PredictScene(model, data, settings);

        Console.WriteLine("wrote:");
        Console.WriteLine($"  weights      {report.BestWeightsPath}");
        Console.WriteLine($"  history      {Path.Combine(settings.OutputFolder, "history.csv")}");
        Console.WriteLine($"  predictions  {predictions}");
        Console.WriteLine($"  curves       {curves}");
        Console.WriteLine($"  scene map    {scene.Classes}");
        Console.WriteLine($"  scene water  {scene.Probabilities}");
        Console.WriteLine($"  scene view   {scene.Picture}");

        double meanIoU = best.ValidationMetrics!.Primary;
        var wall = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best held-out mIoU {meanIoU:F4} at epoch {best.Epoch}/{best.Epochs}{(report.Cancelled ? " (stopped early)" : "")}, scene mIoU {scene.MeanIoU:F4}, wall time {wall.TotalSeconds:F1} s"));

        if (settings.RequiredMeanIoU is double required && !(meanIoU >= required))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the best held-out mIoU {meanIoU:F4} is below the required {required:F4}"));
            return BelowRequiredScore;
        }

        return 0;
    }

    private static readonly string[] ClassNames = { "not water", "water" };

    /// <summary>
    /// Predicts the larger synthetic scene tile by tile with the training data's band order and normalisation, writes the
    /// class map and the water probability as GeoTIFFs with the scene's georeferencing, scores the map against the
    /// scene's mask and draws both.
    /// </summary>
    private static (string Classes, string Probabilities, string Picture, double MeanIoU) PredictScene(QuickstartWaterMapper model, QuickstartData data, QuickstartSettings settings)
    {
        var scene = QuickstartScene.Prepare(settings.CacheFolder);
        var options = ScenePredictor.DefaultOptions(model) with
        {
            Normalization = data.Normalization,
            Tiling = new TiledInferenceOptions { Crop = QuickstartData.ChipSize, Stride = 48, Delta = 8, BatchSize = 8 },
            ClassNames = ClassNames,
        };
        string classesPath = Path.Combine(settings.OutputFolder, "scene_classes.tif");
        var classes = ScenePredictor.Predict(model, scene.ImagePath, classesPath, options);
        var probabilities = ScenePredictor.Predict(model, scene.ImagePath, Path.Combine(settings.OutputFolder, "scene_probabilities.tif"),
            options with { Output = PredictionOutput.Probabilities });

        // The scene is small enough to score whole; the prediction above never held it whole.
        var predicted = GeoTiffReader.Read(classes.OutputPath);
        var truth = GeoTiffReader.Read(scene.MaskPath);
        var matrix = new ConfusionMatrix(ClassNames.Length);
        for (int i = 0; i < truth.Width * truth.Height; i++)
        {
            float label = truth.Band(0)[i];
            if (!truth.IsNoData(label) && !predicted.IsNoData(predicted.Band(0)[i]))
            {
                matrix.Add((int)label, (int)predicted.Band(0)[i]);
            }
        }

        var scores = matrix.Compute();
        var tiling = options.Tiling;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scene: {scene.Size}×{scene.Size} pixels predicted in {classes.Tiles} tiles of {tiling.Crop} (stride {tiling.Stride}, {tiling.Delta} px cut at tile edges, cosine-blended), " +
            $"{classes.Batches} batches, at most {classes.LargestWindowRead.Height} rows read at once, {classes.Elapsed.TotalSeconds + probabilities.Elapsed.TotalSeconds:F1} s; {Describe(scores)}"));
        string picture = ScenePreview.Write(Path.Combine(settings.OutputFolder, "scene.png"), scene.ImagePath, classes.OutputPath, scene.MaskPath, ClassNames);
        return (classes.OutputPath, probabilities.OutputPath, picture, scores.MeanIoU);
    }

    private static string Describe(TaskMetrics metrics) => metrics is SegmentationMetrics segmentation
        ? string.Create(CultureInfo.InvariantCulture,
            $"mIoU {segmentation.MeanIoU:F4} (not water {segmentation.ClassIoU[0]:F4}, water {segmentation.ClassIoU[1]:F4}), pixel accuracy {segmentation.PixelAccuracy:P1}")
        : string.Create(CultureInfo.InvariantCulture, $"{metrics.PrimaryName} {metrics.Primary:F4}");
}
