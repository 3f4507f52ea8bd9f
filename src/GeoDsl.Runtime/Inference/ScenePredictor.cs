using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.GeoTiff;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Inference;

/// <summary>
/// Predicts a whole GeoTIFF scene of any size by tiled inference and writes the result as a GeoTIFF with the scene's
/// geotransform and CRS. The scene is read one row of tiles at a time (a window of crop rows across its width), tiles
/// run in batches, their kept parts are blended into a buffer of one tile's height, and finished rows are streamed to
/// the output file: memory grows with the tile size, batch and scene width, never with the scene's height, and neither
/// the input nor the output is ever whole in memory (unlike TerraTorch's <c>tiled_inference</c>, which takes and
/// returns whole tensors).
/// </summary>
public static class ScenePredictor
{
    /// <summary>
    /// The options a model's declaration implies: tiles of its input size, its bands by name, its frames, its
    /// normalisation when the declaration states one, softmax for segmentation and raw outputs otherwise.
    /// </summary>
    public static ScenePredictionOptions DefaultOptions(GeoModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = model.Spec.Input;
        return new ScenePredictionOptions
        {
            Tiling = TiledInferenceOptions.ForCrop(input.Height),
            Bands = input.Bands.Count > 0 ? BandSelection.ByName(input.Bands.ToArray()) : BandSelection.All,
            Frames = input.Frames,
            Normalization = input.Means.Count > 0 ? new BandNormalization(input.Means.ToArray(), input.Stds.ToArray()) : null,
            Activation = model.Spec.Task == ModelTask.Segmentation ? OutputActivation.Softmax : OutputActivation.None,
        };
    }

    /// <summary>Predicts the scene with a <see cref="GeoModel"/> in evaluation mode (its mode is restored afterwards).</summary>
    public static ScenePredictionReport Predict(GeoModel model, string scenePath, string outputPath, ScenePredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= DefaultOptions(model);
        if (model.Spec.Task == ModelTask.Classification)
        {
            throw new NotSupportedException($"{model.Spec.Name} is a classification model: it gives one label per image, not per pixel, so a scene cannot be tiled into a map.");
        }

        bool wasTraining = model.training;
        model.eval();
        try
        {
            var device = options.Device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
            return Predict(tiles => model.call(new BackboneInput(tiles)).Output, scenePath, outputPath, options with { Device = device });
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Predicts the scene with any per-pixel model: <paramref name="forward"/> maps tiles [B, C, crop, crop] (or
    /// [B, C, T, crop, crop]) to outputs [B, K, crop, crop]. It runs without gradients.
    /// </summary>
    /// <exception cref="GeoTiffException">The scene cannot be read (missing, damaged, a band it lacks) or the output not written.</exception>
    public static ScenePredictionReport Predict(Func<Tensor, Tensor> forward, string scenePath, string outputPath, ScenePredictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(options);
        var tiling = options.Tiling;
        tiling.Check();
        var clock = Stopwatch.StartNew();

        using var reader = GeoTiffWindowReader.Open(scenePath);
        var info = reader.Info;
        int[] bands = options.Bands.Resolve(info);
        CheckBands(info, bands.Length, options);

        var rows = new TileLayout(info.Height, tiling);
        var columns = new TileLayout(info.Width, tiling);
        int[] columnSource = Enumerable.Range(0, columns.Positions[^1] + tiling.Crop).Select(columns.ScenePixel).ToArray();
        var device = options.Device ?? CPU;

        GeoTiffStreamWriter? writer = null;
        BlendedRows? blended = null;
        var largest = new RasterWindow(0, 0, 0, 0);
        int tileCount = 0, batchCount = 0;
        try
        {
            using var noGrad = no_grad();
            for (int r = 0; r < rows.Positions.Count; r++)
            {
                int rowPosition = rows.Positions[r];
                int[] rowSource = Enumerable.Range(rowPosition, tiling.Crop).Select(rows.ScenePixel).ToArray();
                int first = rowSource.Min();
                var window = new RasterWindow(0, first, info.Width, rowSource.Max() - first + 1);
                largest = window.Height * window.Width > largest.Height * largest.Width ? window : largest;
                var image = reader.Read(window, bands);
                var planes = new float[bands.Length * window.Width * window.Height];
                ModelInputLayout.Fill(image, options.Normalization, options.Frames, planes);

                for (int start = 0; start < columns.Positions.Count; start += tiling.BatchSize)
                {
                    int count = Math.Min(tiling.BatchSize, columns.Positions.Count - start);
                    using var scope = NewDisposeScope();
                    var batch = CutTiles(planes, window, rowSource, columnSource, columns, start, count, bands.Length, options.Frames, tiling.Crop);
                    var output = RunTiles(forward, batch, device, options, tiling.Crop, scenePath);
                    if (blended is null)
                    {
                        int outputs = (int)output.shape[1];
                        blended = new BlendedRows(info.Width, info.Height, tiling.KeptSize, outputs);
                        writer = GeoTiffStreamWriter.Create(outputPath, OutputHeader(info, outputs, options), options.WriteOptions ?? GeoTiffWriteOptions.Default);
                    }

                    var values = output.data<float>().ToArray();
                    int tileValues = blended.Outputs * tiling.Crop * tiling.Crop;
                    for (int t = 0; t < count; t++)
                    {
                        blended.Add(values.AsSpan(t * tileValues, tileValues), tiling.Crop, rowPosition, columns.Positions[start + t], rows, columns);
                    }

                    tileCount += count;
                    batchCount++;
                }

                blended!.MarkEmpty(image, window.Row, rowPosition, tiling.KeptSize);
                int final = r + 1 < rows.Positions.Count ? rows.Positions[r + 1] : info.Height;
                blended.Flush(Math.Min(final, info.Height), options.Output, writer!);
            }

            writer!.Complete();
            return new ScenePredictionReport(writer.FilePath, info.Width, info.Height, OutputHeader(info, blended!.Outputs, options).BandCount,
                tileCount, batchCount, largest, clock.Elapsed);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>Tiles [count, C, (T,) crop, crop] from the normalised planes [C·T, window rows, width] of one row band.</summary>
    private static Tensor CutTiles(float[] planes, RasterWindow window, int[] rowSource, int[] columnSource, TileLayout columns,
        int start, int count, int bandCount, int frames, int crop)
    {
        int planeSize = window.Width * window.Height;
        int tileSize = crop * crop;
        var data = new float[count * bandCount * tileSize];
        for (int t = 0; t < count; t++)
        {
            int columnPosition = columns.Positions[start + t];
            for (int plane = 0; plane < bandCount; plane++)
            {
                int source = plane * planeSize;
                int target = (t * bandCount + plane) * tileSize;
                for (int y = 0; y < crop; y++)
                {
                    int sourceRow = source + (rowSource[y] - window.Row) * window.Width;
                    for (int x = 0; x < crop; x++)
                    {
                        data[target + y * crop + x] = planes[sourceRow + columnSource[columnPosition + x]];
                    }
                }
            }
        }

        long[] shape = frames > 1
            ? new long[] { count, bandCount / frames, frames, crop, crop }
            : new long[] { count, bandCount, crop, crop };
        return tensor(data, shape, ScalarType.Float32);
    }

    private static Tensor RunTiles(Func<Tensor, Tensor> forward, Tensor batch, Device device, ScenePredictionOptions options, int crop, string scenePath)
    {
        var output = forward(batch.to(device));
        if (output.dim() != 4 || output.shape[0] != batch.shape[0] || output.shape[2] != crop || output.shape[3] != crop)
        {
            throw new InvalidOperationException(
                $"Tiled prediction of '{scenePath}': the model gave [{string.Join(", ", output.shape)}] for tiles [{string.Join(", ", batch.shape)}]; " +
                $"tiling needs one output map per tile of the tile's size, [{batch.shape[0]}, K, {crop}, {crop}] (a segmentation or pixel-wise regression model).");
        }

        if (options.Activation == OutputActivation.Softmax)
        {
            output = output.softmax(1);
        }

        return output.to(ScalarType.Float32).cpu().contiguous();
    }

    private static void CheckBands(GeoRasterInfo info, int selected, ScenePredictionOptions options)
    {
        if (options.Frames < 1 || selected % options.Frames != 0)
        {
            throw new GeoTiffException(info.FilePath,
                $"Scene '{info.FilePath}': {selected} selected band(s) ({options.Bands}) do not split into {options.Frames} frame(s); select the same bands for every frame, frame by frame.");
        }

        if (!ModelInputLayout.Fits(options.Normalization, selected, options.Frames))
        {
            throw new GeoTiffException(info.FilePath,
                $"Scene '{info.FilePath}': the normalisation gives {options.Normalization!.Count} means/stds for {selected} selected band(s) ({options.Bands}); " +
                "give one per selected band (or per band of a frame), the same as for training.");
        }
    }

    private static GeoRasterHeader OutputHeader(GeoRasterInfo scene, int outputs, ScenePredictionOptions options)
    {
        bool probabilities = options.Output == PredictionOutput.Probabilities;
        if (probabilities && options.ClassNames is { } names && names.Count != outputs)
        {
            throw new ArgumentException($"{names.Count} class names were given for a model with {outputs} outputs; give one name per output.", nameof(options));
        }

        return new GeoRasterHeader(scene.Width, scene.Height, probabilities ? outputs : 1,
            probabilities ? RasterDataType.Float32 : BlendedRows.ClassType(outputs))
        {
            GeoTransform = scene.GeoTransform,
            Epsg = scene.Epsg,
            NoData = probabilities ? double.NaN : BlendedRows.ClassNoData(outputs),
            BandDescriptions = probabilities
                ? options.ClassNames?.ToArray<string?>() ?? Enumerable.Range(0, outputs).Select(k => (string?)("CLASS_" + k.ToString(CultureInfo.InvariantCulture))).ToArray()
                : new string?[] { "CLASS" },
        };
    }
}
