using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Features;
using static TorchSharp.torch;

namespace GeoDsl.Bench.Runtime;

/// <summary>
/// Issue 9 §4: predicting a whole GeoTIFF scene, tiled (GeoDsl's ScenePredictor) or in one forward pass, with the
/// process's peak resident memory. One mode per process, so each peak is its own; bench/runtime/run-inference.sh
/// alternates them.
/// </summary>
public static class InferenceBench
{
    /// <summary>A deterministic RGB scene (smooth fields plus noise, Int16 reflectance-like values) as a GeoTIFF.</summary>
    public static void WriteScene(string path, int size)
    {
        var random = new Random(9);
        var bands = Enumerable.Range(0, 3).Select(b =>
        {
            var values = new float[size * size];
            for (int row = 0; row < size; row++)
            {
                for (int col = 0; col < size; col++)
                {
                    double field = Math.Sin((row + (b * 97)) / 53.0) * Math.Cos(col / 71.0);
                    values[(row * size) + col] = (float)Math.Round(2000 + (1500 * field) + (200 * random.NextDouble()));
                }
            }

            return values;
        }).ToArray();
        GeoTiffWriter.Write(path, new GeoRaster(size, size, RasterDataType.Int16, bands)
        {
            GeoTransform = GeoTransform.NorthUp(399960, 5000040, 10, 10),
            Epsg = 32633,
            BandDescriptions = new[] { "RED", "GREEN", "BLUE" },
        });
    }

    public static Dictionary<string, object> Run(GeoModel model, string mode, string scenePath, string outputPath, int batch)
    {
        long baseline = ResidentBytes("VmRSS");
        var info = GeoTiffReader.ReadInfo(scenePath);
        var clock = Stopwatch.StartNew();
        var details = mode switch
        {
            "tiled" => Tiled(model, scenePath, outputPath, batch),
            "whole" => Whole(model, scenePath, outputPath),
            _ => throw new BenchUsageException($"Unknown --mode '{mode}'; use tiled or whole."),
        };
        double seconds = clock.Elapsed.TotalSeconds;
        double megapixels = (double)info.Width * info.Height / 1e6;
        return new Dictionary<string, object>(details)
        {
            ["mode"] = mode,
            ["width"] = info.Width,
            ["height"] = info.Height,
            ["seconds"] = seconds,
            ["megapixelsPerSecond"] = megapixels / seconds,
            ["residentBeforeBytes"] = baseline,
            ["peakResidentBytes"] = ResidentBytes("VmHWM"),
        };
    }

    private static Dictionary<string, object> Tiled(GeoModel model, string scenePath, string outputPath, int batch)
    {
#if GEODSL_SCENE_PREDICTOR
        var options = GeoDsl.Runtime.Inference.ScenePredictor.DefaultOptions(model);
        options = options with { Tiling = options.Tiling with { BatchSize = batch } };
        var report = GeoDsl.Runtime.Inference.ScenePredictor.Predict(model, scenePath, outputPath, options);
        return new Dictionary<string, object>
        {
            ["tiles"] = report.Tiles,
            ["batches"] = report.Batches,
            ["tileBatch"] = batch,
            ["crop"] = options.Tiling.Crop,
            ["stride"] = options.Tiling.Stride,
        };
#else
        throw new BenchUsageException(
            $"Tiled prediction needs GeoDsl.Runtime.Inference.ScenePredictor, which this checkout does not have yet (batch {batch}, " +
            $"{model.Spec.Name}, {scenePath} → {outputPath}); merge the branch that adds src/GeoDsl.Runtime/Inference/ScenePredictor.cs.");
#endif
    }

    /// <summary>The whole scene in one forward pass: read, normalise nothing (as the tiled default without means), softmax, write classes.</summary>
    private static Dictionary<string, object> Whole(GeoModel model, string scenePath, string outputPath)
    {
        model.eval();
        var raster = GeoTiffReader.Read(scenePath);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var planes = Enumerable.Range(0, raster.BandCount).Select(b => tensor(raster.CopyBand(b), new long[] { raster.Height, raster.Width })).ToArray();
        var pixels = stack(planes).unsqueeze(0);
        var classes = model.call(new BackboneInput(pixels)).Output.softmax(1).argmax(1).squeeze(0).to(ScalarType.Float32);
        GeoTiffWriter.Write(outputPath, new GeoRaster(raster.Width, raster.Height, RasterDataType.Byte, new[] { classes.data<float>().ToArray() })
        {
            GeoTransform = raster.GeoTransform,
            Epsg = raster.Epsg,
        });
        return new Dictionary<string, object>();
    }

    /// <summary>A field of /proc/self/status in bytes: VmRSS (resident now) or VmHWM (the peak so far).</summary>
    private static long ResidentBytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
