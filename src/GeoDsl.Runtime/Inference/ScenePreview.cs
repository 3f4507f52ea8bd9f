using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Visualization;
using SkiaSharp;

namespace GeoDsl.Runtime.Inference;

/// <summary>
/// A PNG of a predicted scene beside the scene in true colour (and the truth, when there is a mask): the overview a
/// person opens first. Large scenes are shown decimated (every n-th pixel, read a band of rows at a time), so the
/// picture, like the prediction, never needs the whole scene in memory.
/// </summary>
public static class ScenePreview
{
    private const float Margin = 16;
    private const float Gap = 12;
    private const float HeaderHeight = 58;
    private const int RowsPerRead = 256;

    /// <summary>Writes the picture and returns its full path.</summary>
    /// <param name="classesPath">A class map written by <see cref="ScenePredictor"/> (<see cref="PredictionOutput.Classes"/>).</param>
    /// <param name="truthPath">The scene's mask, or null; its nodata pixels are shown as ignored.</param>
    /// <param name="classNames">One name per class for the legend; null for "class 0", "class 1", ….</param>
    /// <param name="maxSide">The largest side of each panel in scene pixels; larger scenes are decimated.</param>
    public static string Write(string pngPath, string scenePath, string classesPath, string? truthPath = null, IReadOnlyList<string>? classNames = null, int maxSide = 512)
    {
        var sceneInfo = GeoTiffReader.ReadInfo(scenePath);
        int step = Math.Max(1, (int)Math.Ceiling(Math.Max(sceneInfo.Width, sceneInfo.Height) / (double)maxSide));
        int[] trueColour = RgbComposite.TrueColorBands.Select(sceneInfo.TryBandIndex).All(b => b is not null)
            ? RgbComposite.TrueColorBands.Select(b => sceneInfo.TryBandIndex(b)!.Value).ToArray()
            : new[] { 0, 0, 0 };
        var (scene, width, height) = ReadDecimated(scenePath, trueColour, step);
        var (classes, _, _) = ReadDecimated(classesPath, new[] { 0 }, step);
        var truth = truthPath is null ? null : ReadDecimated(truthPath, new[] { 0 }, step).Bands;

        int classCount = (int)classes[0].Where(float.IsFinite).DefaultIfEmpty(0).Max() + 1;
        classCount = Math.Max(classCount, classNames?.Count ?? 0);
        var palette = ClassPalette.For(Math.Max(2, classCount));
        var panels = new List<(string Title, byte[] Rgba)> { ("scene (true colour)", TrueColour(scene)) };
        if (truth is not null)
        {
            panels.Add(("truth", Labels(truth[0], palette)));
        }

        panels.Add(("prediction", Labels(classes[0], palette)));

        float panelWidth = width, panelHeight = height;
        float scale = Math.Max(1, 256f / Math.Max(width, height));
        panelWidth *= scale;
        panelHeight *= scale;
        int imageWidth = (int)Math.Ceiling(2 * Margin + panels.Count * panelWidth + (panels.Count - 1) * Gap);
        int imageHeight = (int)Math.Ceiling(Margin + HeaderHeight + panelHeight + 44 + Margin);
        using var surface = SKSurface.Create(new SKImageInfo(imageWidth, imageHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var titleFont = new SKFont(Typefaces.Sans, 18);
        using var labelFont = new SKFont(Typefaces.Sans, 14);
        using var text = new SKPaint { Color = new SKColor(33, 37, 41), IsAntialias = true };
        string decimation = step > 1 ? $", every {step}th pixel shown" : "";
        canvas.DrawText($"{Path.GetFileName(scenePath)}: {sceneInfo.Width}×{sceneInfo.Height} pixels{decimation}", Margin, Margin + 18, SKTextAlign.Left, titleFont, text);
        for (int p = 0; p < panels.Count; p++)
        {
            float left = Margin + p * (panelWidth + Gap);
            canvas.DrawText(panels[p].Title, left + panelWidth / 2, Margin + HeaderHeight - 10, SKTextAlign.Center, labelFont, text);
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var bitmap = new SKBitmap(info);
            Marshal.Copy(panels[p].Rgba, 0, bitmap.GetPixels(), panels[p].Rgba.Length);
            using var image = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(image, new SKRect(left, Margin + HeaderHeight, left + panelWidth, Margin + HeaderHeight + panelHeight), new SKSamplingOptions(SKFilterMode.Nearest));
        }

        float x = Margin, baseline = Margin + HeaderHeight + panelHeight + 30;
        var names = Enumerable.Range(0, palette.ClassColors.Count).Select(c => classNames is not null && c < classNames.Count ? classNames[c] : $"class {c}")
            .Append("no data / unlabelled");
        var colours = palette.ClassColors.Append(palette.IgnoredColor);
        foreach (var (name, colour) in names.Zip(colours))
        {
            using var swatch = new SKPaint { Color = colour };
            canvas.DrawRect(new SKRect(x, baseline - 12, x + 14, baseline + 2), swatch);
            canvas.DrawText(name, x + 20, baseline, SKTextAlign.Left, labelFont, text);
            x += 20 + labelFont.MeasureText(name) + 18;
        }

        string fullPath = Path.GetFullPath(pngPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using (var file = File.Create(fullPath))
        {
            png.SaveTo(file);
        }

        return fullPath;
    }

    /// <summary>Every <paramref name="step"/>-th pixel of every <paramref name="step"/>-th row of the bands, nodata as NaN.</summary>
    private static (float[][] Bands, int Width, int Height) ReadDecimated(string path, int[] bands, int step)
    {
        using var reader = GeoTiffWindowReader.Open(path);
        var info = reader.Info;
        int width = (info.Width + step - 1) / step;
        int height = (info.Height + step - 1) / step;
        var output = bands.Select(_ => new float[width * height]).ToArray();
        for (int first = 0; first < info.Height; first += RowsPerRead)
        {
            var window = reader.Read(new RasterWindow(0, first, info.Width, Math.Min(RowsPerRead, info.Height - first)), bands);
            for (int row = 0; row < window.Height; row++)
            {
                if ((first + row) % step != 0)
                {
                    continue;
                }

                int target = (first + row) / step * width;
                for (int b = 0; b < bands.Length; b++)
                {
                    var source = window.Band(b);
                    for (int col = 0; col < info.Width; col += step)
                    {
                        float value = source[row * info.Width + col];
                        output[b][target + col / step] = window.IsNoData(value) ? float.NaN : value;
                    }
                }
            }
        }

        return (output, width, height);
    }

    private static byte[] TrueColour(float[][] bands)
    {
        var rgba = new byte[bands[0].Length * 4];
        for (int c = 0; c < 3; c++)
        {
            var (low, high) = RgbComposite.Percentiles(bands[c], 2, 98);
            double scale = high > low ? 255.0 / (high - low) : 0;
            for (int i = 0; i < bands[c].Length; i++)
            {
                float value = bands[c][i];
                rgba[i * 4 + c] = float.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(Math.Round((value - low) * scale), 0, 255);
            }
        }

        for (int i = 0; i < bands[0].Length; i++)
        {
            rgba[i * 4 + 3] = 255;
        }

        return rgba;
    }

    private static byte[] Labels(float[] labels, ClassPalette palette)
    {
        var rgba = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++)
        {
            var colour = palette.ColorOf(float.IsNaN(labels[i]) ? -1 : (long)labels[i]);
            rgba[i * 4] = colour.Red;
            rgba[i * 4 + 1] = colour.Green;
            rgba[i * 4 + 2] = colour.Blue;
            rgba[i * 4 + 3] = 255;
        }

        return rgba;
    }
}
