using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Visualization;
using TorchSharp;

namespace GeoDsl.Quickstart;

/// <summary>
/// Trains the water mapper declared in WaterMapper.geomodel on synthetic scenes and shows how well it maps water on
/// scenes it never saw: per-epoch loss and held-out mIoU, then a picture of its predictions and its learning curves.
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

        string predictions = PredictionPreview.Write(Path.Combine(settings.OutputFolder, "predictions.png"), model, data.HeldOut, new PredictionPreviewOptions
        {
            SampleCount = 4,
            ClassNames = new[] { "not water", "water" },
            Title = $"{spec.Name} after epoch {best.Epoch}: held-out scenes",
        });
        string curves = TrainingCurves.Write(Path.Combine(settings.OutputFolder, "curves.png"), report);
        Console.WriteLine($"predictions: {predictions}");
        Console.WriteLine($"curves:      {curves}");
        Console.WriteLine($"weights:     {report.BestWeightsPath}");

        double meanIoU = best.ValidationMetrics!.Primary;
        var wall = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best held-out mIoU {meanIoU:F4} at epoch {best.Epoch}/{best.Epochs}{(report.Cancelled ? " (stopped early)" : "")}, wall time {wall.TotalSeconds:F1} s"));

        if (settings.RequiredMeanIoU is double required && !(meanIoU >= required))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the best held-out mIoU {meanIoU:F4} is below the required {required:F4}"));
            return BelowRequiredScore;
        }

        return 0;
    }
}
