using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Training.Metrics;
using SkiaSharp;
using TorchSharp;

namespace GeoDsl.Runtime.Visualization;

/// <summary>
/// A PNG that shows what a segmentation model does on a few chips: per row, the chip in true colour, the labelled
/// mask, the model's prediction and where the two disagree, with each chip's mIoU; ignored pixels in grey.
/// Rendered with SkiaSharp on the CPU, so it works on a headless server.
/// </summary>
public static class PredictionPreview
{
    private const float Margin = 16;
    private const float Gap = 8;
    private const float HeaderHeight = 64;
    private const float CaptionHeight = 22;
    private const float LegendHeight = 36;
    private static readonly string[] ColumnTitles = { "input (true colour)", "truth", "prediction", "errors" };
    private static readonly SKColor ErrorColor = new(220, 38, 38);

    /// <summary>Runs <paramref name="model"/> on the chosen chips of <paramref name="data"/> and writes the picture to <paramref name="path"/>.</summary>
    /// <returns>The full path written.</returns>
    public static string Write(string path, GeoModel model, GeoTiffChipDataset data, PredictionPreviewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new PredictionPreviewOptions();
        var indices = ChooseSamples(data.Count, options);
        var samples = indices.Select(i => data[i]).ToArray();
        var (predictions, classCount) = Predict(model, data, indices);
        var palette = options.Palette ?? ClassPalette.For(classCount);
        var names = options.ClassNames ?? Enumerable.Range(0, classCount).Select(c => "class " + c.ToString(CultureInfo.InvariantCulture)).ToArray();

        float panel = options.PanelSize;
        int columns = ColumnTitles.Length;
        int width = (int)Math.Ceiling(2 * Margin + columns * panel + (columns - 1) * Gap);
        int height = (int)Math.Ceiling(Margin + HeaderHeight + samples.Length * (panel + CaptionHeight + Gap) + LegendHeight + Margin);

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var titleFont = new SKFont(Typefaces.Sans, 20);
        using var labelFont = new SKFont(Typefaces.Sans, 14);
        using var textPaint = new SKPaint { Color = new SKColor(33, 37, 41), IsAntialias = true };
        using var mutedPaint = new SKPaint { Color = new SKColor(90, 96, 104), IsAntialias = true };

        canvas.DrawText(options.Title ?? $"{model.Spec.Name}: predictions on held-out chips", Margin, Margin + 20, SKTextAlign.Left, titleFont, textPaint);
        for (int c = 0; c < columns; c++)
        {
            canvas.DrawText(ColumnTitles[c], Margin + c * (panel + Gap) + panel / 2, Margin + HeaderHeight - 10, SKTextAlign.Center, labelFont, mutedPaint);
        }

        for (int row = 0; row < samples.Length; row++)
        {
            var sample = samples[row];
            float top = Margin + HeaderHeight + row * (panel + CaptionHeight + Gap);
            var truth = sample.Mask.ToArray();
            var predicted = predictions[row];
            var panels = new[]
            {
                RgbComposite.Render(data, sample, options.LowPercentile, options.HighPercentile),
                MaskPixels(truth, palette),
                MaskPixels(predicted, palette, truth, data.Options.IgnoreIndex),
                ErrorPixels(truth, predicted, data.Options.IgnoreIndex, palette),
            };
            for (int c = 0; c < columns; c++)
            {
                DrawPanel(canvas, panels[c], sample.Width, sample.Height, new SKRect(Margin + c * (panel + Gap), top, Margin + c * (panel + Gap) + panel, top + panel));
            }

            var chip = new ConfusionMatrix(classCount, data.Options.IgnoreIndex);
            for (int i = 0; i < truth.Length; i++)
            {
                if (truth[i] != data.Options.IgnoreIndex && truth[i] >= 0 && truth[i] < classCount)
                {
                    chip.Add((int)truth[i], (int)predicted[i]);
                }
            }

            var scores = chip.Compute();
            string caption = double.IsNaN(scores.MeanIoU)
                ? $"{sample.Pair.Name}: no labelled pixels"
                : string.Create(CultureInfo.InvariantCulture, $"{sample.Pair.Name}: mIoU {scores.MeanIoU:F3}, pixel accuracy {scores.PixelAccuracy:P1}");
            canvas.DrawText(caption, Margin, top + panel + 16, SKTextAlign.Left, labelFont, mutedPaint);
        }

        DrawLegend(canvas, palette, names, Margin, height - Margin - LegendHeight / 2 + 6, labelFont, textPaint);

        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using (var file = File.Create(fullPath))
        {
            png.SaveTo(file);
        }

        return fullPath;
    }

    /// <summary><paramref name="wanted"/> indices spread evenly over 0..count-1 (first and last included).</summary>
    public static int[] EvenlySpaced(int count, int wanted)
    {
        if (count <= 0 || wanted <= 0)
        {
            return Array.Empty<int>();
        }

        wanted = Math.Min(wanted, count);
        if (wanted == 1)
        {
            return new[] { 0 };
        }

        return Enumerable.Range(0, wanted).Select(i => (int)Math.Round(i * (count - 1) / (double)(wanted - 1))).Distinct().ToArray();
    }

    private static IReadOnlyList<int> ChooseSamples(int count, PredictionPreviewOptions options)
    {
        if (options.SampleIndices is { } chosen)
        {
            foreach (int index in chosen.Where(i => i < 0 || i >= count))
            {
                throw new ArgumentOutOfRangeException(nameof(options), index, $"The data set has {count} chips (0 to {count - 1}).");
            }

            return chosen;
        }

        var indices = EvenlySpaced(count, options.SampleCount);
        if (indices.Length == 0)
        {
            throw new ArgumentException("Nothing to draw: the data set is empty or no sample was asked for.", nameof(options));
        }

        return indices;
    }

    private static (long[][] Predictions, int ClassCount) Predict(GeoModel model, GeoTiffChipDataset data, IReadOnlyList<int> indices)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var device = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
            var predictions = new long[indices.Count][];
            int classCount = 0;
            for (int i = 0; i < indices.Count; i++)
            {
                using var batch = data.GetBatch(new[] { indices[i] }, device);
                var output = model.call(new BackboneInput(batch.Images)).Output;
                if (output.dim() != 4)
                {
                    throw new NotSupportedException($"{model.Spec.Name} predicts [{string.Join(", ", output.shape)}]; a prediction preview needs class logits [B, K, H, W].");
                }

                classCount = (int)output.shape[1];
                predictions[i] = output.argmax(1).cpu().data<long>().ToArray();
            }

            return (predictions, classCount);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static byte[] MaskPixels(long[] labels, ClassPalette palette, long[]? truth = null, long ignoreIndex = -1)
    {
        var rgba = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++)
        {
            // The model predicts everywhere; where the truth is unlabelled, its prediction is shown lighter, as a guess nobody checks.
            var color = palette.ColorOf(labels[i]);
            if (truth is not null && truth[i] == ignoreIndex)
            {
                color = Blend(color, SKColors.White, 0.55f);
            }

            Put(rgba, i, color);
        }

        return rgba;
    }

    private static byte[] ErrorPixels(long[] truth, long[] predicted, long ignoreIndex, ClassPalette palette)
    {
        var rgba = new byte[truth.Length * 4];
        for (int i = 0; i < truth.Length; i++)
        {
            var color = truth[i] == ignoreIndex ? palette.IgnoredColor
                : truth[i] == predicted[i] ? Blend(palette.ColorOf(truth[i]), SKColors.White, 0.75f)
                : ErrorColor;
            Put(rgba, i, color);
        }

        return rgba;
    }

    private static void DrawPanel(SKCanvas canvas, byte[] rgba, int width, int height, SKRect target)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
        using var border = new SKPaint { Color = new SKColor(206, 212, 218), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(target, border);
    }

    private static void DrawLegend(SKCanvas canvas, ClassPalette palette, IReadOnlyList<string> names, float left, float baseline, SKFont font, SKPaint text)
    {
        var entries = palette.ClassColors.Select((color, c) => (color, c < names.Count ? names[c] : $"class {c}"))
            .Append((palette.IgnoredColor, "ignored (cloud, no data)"))
            .Append((ErrorColor, "error"));
        float x = left;
        foreach (var (color, name) in entries)
        {
            using var swatch = new SKPaint { Color = color };
            canvas.DrawRect(new SKRect(x, baseline - 12, x + 14, baseline + 2), swatch);
            x += 20;
            canvas.DrawText(name, x, baseline, SKTextAlign.Left, font, text);
            x += font.MeasureText(name) + 18;
        }
    }

    private static SKColor Blend(SKColor color, SKColor toward, float amount) => new(
        (byte)(color.Red + (toward.Red - color.Red) * amount),
        (byte)(color.Green + (toward.Green - color.Green) * amount),
        (byte)(color.Blue + (toward.Blue - color.Blue) * amount));

    private static void Put(byte[] rgba, int pixel, SKColor color)
    {
        rgba[pixel * 4] = color.Red;
        rgba[pixel * 4 + 1] = color.Green;
        rgba[pixel * 4 + 2] = color.Blue;
        rgba[pixel * 4 + 3] = 255;
    }
}
