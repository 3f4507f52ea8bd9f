using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Runtime.Training;
using ScottPlot;
using SkiaSharp;

namespace GeoDsl.Runtime.Visualization;

/// <summary>
/// A PNG of a run's learning curves with ScottPlot: the training and validation loss per epoch on the left, the
/// primary score (mIoU for segmentation) on the right, the best epoch marked.
/// </summary>
public static class TrainingCurves
{
    /// <returns>The full path written.</returns>
    public static string Write(string path, TrainingReport report, int width = 1100, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Epochs.Count == 0)
        {
            throw new ArgumentException("The report has no completed epoch to plot.", nameof(report));
        }

        var epochs = report.Epochs;
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        var best = report.BestEpoch;

        var loss = NewPlot("Loss", "loss", Alignment.UpperRight);
        AddSeries(loss, x, epochs.Select(e => e.TrainLoss), "training", Colors.C0);
        if (epochs.Any(e => e.ValidationLoss is not null))
        {
            AddSeries(loss, x, epochs.Select(e => e.ValidationLoss ?? double.NaN), "validation", Colors.C1);
        }

        var first = epochs[0];
        string scoreName = (first.ValidationMetrics ?? first.TrainMetrics).PrimaryName;
        bool higherIsBetter = (first.ValidationMetrics ?? first.TrainMetrics).HigherIsBetter;
        var score = NewPlot(scoreName, scoreName, higherIsBetter ? Alignment.LowerRight : Alignment.UpperRight);
        AddSeries(score, x, epochs.Select(e => e.TrainMetrics.Primary), "training", Colors.C0);
        if (epochs.Any(e => e.ValidationMetrics is not null))
        {
            AddSeries(score, x, epochs.Select(e => e.ValidationMetrics?.Primary ?? double.NaN), "validation", Colors.C1);
        }

        if (best is not null)
        {
            foreach (var plot in new[] { loss, score })
            {
                var line = plot.Add.VerticalLine(best.Epoch, 1, Colors.Gray, LinePattern.Dashed);
                line.LegendText = $"best epoch ({best.Epoch})";
            }
        }

        // Each plot renders on its own surface: ScottPlot clears the whole canvas it is given before drawing.
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        int half = width / 2;
        using (var left = RenderAlone(loss, half, height))
        using (var right = RenderAlone(score, width - half, height))
        {
            surface.Canvas.DrawImage(left, 0, 0);
            surface.Canvas.DrawImage(right, half, 0);
        }

        string fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using (var file = File.Create(fullPath))
        {
            png.SaveTo(file);
        }

        return fullPath;
    }

    private static SKImage RenderAlone(Plot plot, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        plot.Render(surface.Canvas, width, height);
        return surface.Snapshot();
    }

    private static Plot NewPlot(string title, string yLabel, Alignment legend)
    {
        var plot = new Plot();
        plot.Font.Set(Typefaces.SansFamily);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void AddSeries(Plot plot, double[] x, IEnumerable<double> values, string name, Color color)
    {
        var y = values.ToArray();
        var series = plot.Add.Scatter(x, y, color);
        series.LegendText = name;
        series.LineWidth = 2;
        series.MarkerSize = 6;
    }
}
