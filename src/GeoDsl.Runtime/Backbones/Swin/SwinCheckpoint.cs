using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// Loads published torchvision-layout Swin weights: torchvision's ImageNet files (<c>features.*</c>, <c>norm.*</c>,
/// <c>head.*</c>; the classifier is skipped when the model has none) into a <see cref="SwinTransformer"/>, and SatlasPretrain files into a <see cref="SatlasSwinTransformer"/> in
/// any of the forms they are published in: torchgeo's (torchvision keys, <c>torchgeo/models/swin.py</c>),
/// satlaspretrain_models' (<c>backbone.backbone.features.*</c> plus FPN and head weights, which are ignored) and
/// TerraTorch fine-tuned models (<c>encoder.swin_model.*</c>, <c>model.encoder.swin_model.*</c>). The first conv is
/// re-selected for the model's bands (<see cref="PretrainedBandWeights"/>); a classifier head of another class count
/// keeps its initialisation, as TerraTorch's <c>load_swin_weights</c> drops it; the relative position index and
/// coordinate table are recomputed, not read. Files are .safetensors (a file, a sharded index or a folder).
/// </summary>
public static class SwinCheckpoint
{
    /// <summary>Buffers the model computes from the window size; a file's copy is redundant.</summary>
    public static IReadOnlyList<string> ComputedBuffers { get; } = new[] { "*relative_position_index", "*relative_coords_table" };

    private static readonly string[] WrapperPrefixes = { "module.", "model.", "encoder.", "swin_model.", "backbone." };

    /// <summary>Loads torchvision ImageNet weights into a generic Swin (pretrained bands: RED, GREEN, BLUE).</summary>
    public static LoadReport Load(SwinTransformer model, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained) =>
        WithFile(path, source => Load(model, source, modelBands, pretrainedBands ?? SwinVariants.ImageNetRgb, path, newBands));

    public static LoadReport Load(SwinTransformer model, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);

        // A feature extractor has no classifier: the file's norm and head are not needed.
        var extra = model.Options.NumClasses == 0 ? new[] { "norm.*", "head.*" } : Array.Empty<string>();
        return LoadInto(model, string.Empty, source, modelBands, pretrainedBands, sourceName, newBands, extra);
    }

    /// <summary>Loads SatlasPretrain weights; <paramref name="pretrainedBands"/> are the file's (the variant's <c>PretrainedBands</c>).</summary>
    public static LoadReport Load(SatlasSwinTransformer model, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained) =>
        WithFile(path, source => Load(model, source, modelBands, pretrainedBands, path, newBands));

    public static LoadReport Load(SatlasSwinTransformer model, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LoadInto(model, "swin_model.", source, modelBands, pretrainedBands, sourceName, newBands, Array.Empty<string>());
    }

    /// <summary>
    /// The torchvision key inside any of the published wrappers, or null for a tensor that is not part of the Swin
    /// (Satlas' FPN <c>intermediates.*</c> and heads, …).
    /// </summary>
    public static string? TorchvisionKey(string fileKey)
    {
        ArgumentNullException.ThrowIfNull(fileKey);
        var key = fileKey;
        bool stripped;
        do
        {
            stripped = false;
            foreach (var prefix in WrapperPrefixes)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    key = key[prefix.Length..];
                    stripped = true;
                }
            }
        }
        while (stripped);

        return key.StartsWith("features.", StringComparison.Ordinal) || key.StartsWith("norm.", StringComparison.Ordinal) || key.StartsWith("head.", StringComparison.Ordinal)
            ? key
            : null;
    }

    private static LoadReport LoadInto(nn.Module model, string prefix, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands, IReadOnlyList<string> ignore)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        var prepared = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var outside = new List<string>();
        foreach (var (fileKey, tensor) in source)
        {
            // Keys outside the Swin keep their file name and are ignored by name, so the report lists them as the file has them.
            var key = TorchvisionKey(fileKey);
            if (key is null)
            {
                outside.Add(fileKey);
            }

            string moduleKey = key is null ? fileKey : prefix + key;
            if (!prepared.TryAdd(moduleKey, tensor))
            {
                throw new ArgumentException($"'{sourceName}' holds two tensors for '{moduleKey}' (one is '{fileKey}'); keep one wrapper's copy.", nameof(source));
            }
        }

        string firstConv = prefix + "features.0.0.weight";
        if (prepared.TryGetValue(firstConv, out var convWeight))
        {
            var own = model.state_dict()[firstConv];
            prepared[firstConv] = PretrainedBandWeights.Reselect(convWeight, own, modelBands, pretrainedBands, sourceName, firstConv, newBands);
        }

        var options = new LoadOptions
        {
            IgnorePatterns = ComputedBuffers.Concat(ignore).Concat(outside).ToArray(),
            AllowShapeMismatch = new[] { prefix + "head.*" },
        };
        return StateDictLoader.Load(model, prepared, options, sourceName);
    }

    internal static LoadReport WithFile(string path, Func<IReadOnlyDictionary<string, Tensor>, LoadReport> load)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return load(source);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
