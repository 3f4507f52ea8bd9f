using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using GeoDsl.Composition.Memory;
using GeoDsl.Runtime.Data;
using GeoDsl.Runtime.Data.Synthetic;
using GeoDsl.Runtime.HuggingFace;
using GeoDsl.Runtime.Training;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.CustomBackbone;

/// <summary>
/// Brings a Hugging Face vision encoder into GeoDsl: imports its config onto the catalog, loads its checkpoint by Hugging
/// Face's key names, uses it as the custom backbone earth_vit_tiny in a segmentation model checked for an RTX 4090, and
/// trains that model for a few steps on synthetic six-band water scenes.
/// </summary>
internal static class Program
{
    private static int Main()
    {
        var clock = Stopwatch.StartNew();
        var config = HuggingFaceConfig.Read(EarthVitEncoder.Folder);
        WriteStandInCheckpoint(config, Path.Combine(EarthVitEncoder.Folder, "model.safetensors"));

        // 1. What `geodsl import hf earth-vit-tiny/config.json --bands …` prints: the catalog ViT the config maps to.
        var bands = new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" };
        var import = HuggingFaceImport.Import(config, new HuggingFaceImportOptions { Bands = bands, ModelName = "EarthVitImported" });
        Console.WriteLine("Hugging Face config → catalog backbone: " + import.Backbone.CatalogName + " { " + string.Join(", ", import.Backbone.Arguments) + " }");
        long counted = GeoDsl.Composition.Specs.ModelSpecs.Analyze(import.ModelText).Trace.Stages[0].Parameters;

        // 2. The model in EarthVitWaterMapper.geomodel, checked at build time against earth_vit_tiny's declared contract.
        var analysis = EarthVitWaterMapper.Analysis;
        foreach (var stage in analysis.Trace.Stages)
        {
            Console.WriteLine($"  {stage}");
        }

        long declared = analysis.Trace.Stages[0].Parameters;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"earth_vit_tiny declares {declared:N0} parameters; the catalog counts {counted:N0} for the imported ViT"));

        var memory = analysis.Memory;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{analysis.Parameters.Total:N0} parameters; training at batch {analysis.Spec.Train.BatchSize} needs about {MemoryEstimate.Format(memory.TrainingDeviceBytes)} on the {memory.GpuDisplayName}: " +
            $"{(memory.Fits ? "fits" : "does not fit")} in {MemoryEstimate.Format(memory.BudgetBytes)}"));

        // 3. Build it: the generated class constructs EarthVitEncoder, which loads the checkpoint by Hugging Face's names.
        torch.manual_seed(analysis.Spec.Train.Seed);
        using var model = new EarthVitWaterMapper();
        var encoder = (EarthVitEncoder)model.Encoder;
        Console.WriteLine($"checkpoint: {encoder.LoadReport!.Load.Loaded.Count} tensors loaded, {encoder.LoadReport.Dropped.Count} dropped (pooler/classifier), {encoder.LoadReport.Unmapped.Count} unmapped");

        // 4. A few training steps on synthetic six-band scenes (written once into the temp folder).
        string cache = Path.Combine(Path.GetTempPath(), "geodsl-custom-backbone");
        var train = SyntheticWaterScenes.WriteTiles(Path.Combine(cache, "train"), 24, 64, seed: 1);
        var heldOut = SyntheticWaterScenes.WriteTiles(Path.Combine(cache, "heldout"), 8, 64, seed: 2);
        var normalization = GeoTiffChipDataset.ComputeNormalization(train.DatasetOptions());
        var trainSet = new GeoTiffChipDataset(train.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
        var heldOutSet = new GeoTiffChipDataset(heldOut.DatasetOptions() with { Normalization = normalization, CacheInMemory = true });
        var report = model.Train(trainSet, heldOutSet, new TrainingOptions { OutputFolder = Path.Combine(cache, "run") });

        foreach (var epoch in report.Epochs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch.Epoch}: train loss {epoch.TrainLoss:F4}, held-out mIoU {epoch.ValidationMetrics?.Primary:F4}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>
    /// Nothing is downloaded here, so a seeded random checkpoint with the names and shapes Hugging Face's ViTModel
    /// saves (<c>embeddings.*</c>, <c>encoder.layer.N.*</c>, <c>layernorm</c>, <c>pooler</c>) stands in for the published one.
    /// </summary>
    private static void WriteStandInCheckpoint(HuggingFaceConfig config, string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        int d = config.Int("hidden_size"), mlp = config.Int("intermediate_size"), patch = config.Int("patch_size");
        int grid = config.Int("image_size") / patch;
        var shapes = new Dictionary<string, long[]>
        {
            ["embeddings.cls_token"] = new long[] { 1, 1, d },
            ["embeddings.position_embeddings"] = new long[] { 1, 1 + (grid * grid), d },
            ["embeddings.patch_embeddings.projection.weight"] = new long[] { d, config.Int("num_channels"), patch, patch },
            ["embeddings.patch_embeddings.projection.bias"] = new long[] { d },
            ["layernorm.weight"] = new long[] { d },
            ["layernorm.bias"] = new long[] { d },
            ["pooler.dense.weight"] = new long[] { d, d },
            ["pooler.dense.bias"] = new long[] { d },
        };
        for (int layer = 0; layer < config.Int("num_hidden_layers"); layer++)
        {
            var parts = new (string Name, long Out, long In)[]
            {
                ("attention.attention.query", d, d), ("attention.attention.key", d, d), ("attention.attention.value", d, d),
                ("attention.output.dense", d, d), ("intermediate.dense", mlp, d), ("output.dense", d, mlp),
                ("layernorm_before", d, 0), ("layernorm_after", d, 0),
            };
            foreach (var (name, outputs, inputs) in parts)
            {
                string prefix = $"encoder.layer.{layer}.{name}.";
                shapes[prefix + "weight"] = inputs == 0 ? new[] { outputs } : new[] { outputs, inputs };
                shapes[prefix + "bias"] = new[] { outputs };
            }
        }

        var generator = new Generator(2024);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in shapes)
        {
            tensors[name] = name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal)
                ? ones(shape)
                : randn(shape, generator: generator) * 0.02;
        }

        SafetensorsFile.Write(path, tensors);
    }
}
