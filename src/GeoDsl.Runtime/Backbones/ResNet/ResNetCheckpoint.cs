using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ResNet;

/// <summary>
/// Loads published ResNet weights into a <see cref="ResNetEncoder"/>: torchvision and timm files, torchgeo's Satlas and
/// SSL4EO files (timm layout: torchgeo <c>resnet.py</c> loads them into <c>timm.create_model</c> and only
/// <c>fc.*</c> may be missing), and satlaspretrain_models' own files, whose backbone keys read
/// <c>backbone.resnet.conv1.weight</c> (its <c>Model</c> strips every <c>backbone.</c> and loads into
/// <c>ResnetBackbone.resnet</c>; models/backbones.py, model.py). FPN (<c>intermediates.*</c>) and head keys are ignored,
/// and so is a classifier the encoder does not have or whose class count differs (TerraTorch's
/// <c>load_resnet_weights</c> drops <c>fc.*</c> on a shape mismatch). conv1 is re-selected for the model's bands
/// (<see cref="PretrainedBandWeights"/>).
/// </summary>
public static class ResNetCheckpoint
{
    /// <summary>Wrapper prefixes removed from file keys, repeatedly, before matching.</summary>
    public static IReadOnlyList<string> WrapperPrefixes { get; } = new[] { "backbone.", "resnet.", "module.", "model." };

    private static readonly string[] EncoderRoots = { "conv1.", "bn1.", "layer1.", "layer2.", "layer3.", "layer4.", "fc." };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    /// <param name="modelBands">The model's input bands, in channel order.</param>
    /// <param name="pretrainedBands">The bands the checkpoint was trained on, in order (the catalog entry's <c>PretrainedBands</c>).</param>
    /// <param name="newBands">How bands the checkpoint lacks start (default: the mean of the pretrained channels).</param>
    public static LoadReport Load(ResNetEncoder encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, pretrainedBands, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// Loads <paramref name="path"/> into the ResNet encoder of a composed model, for the model's input bands and the
    /// pretrained bands of its catalog entry.
    /// </summary>
    public static LoadReport LoadBackbone(GeoModel model, string path, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Encoder is not ResNetEncoder encoder)
        {
            throw new ArgumentException($"Model '{model.Spec.Name}' has backbone '{model.Spec.Backbone.Name}', not a ResNet.", nameof(model));
        }

        var descriptor = ComponentCatalog.Default.FindBackbone(model.Spec.Backbone.Name)
            ?? throw new ArgumentException($"Backbone '{model.Spec.Backbone.Name}' is not in the catalog.", nameof(model));
        return Load(encoder, path, model.Spec.Input.Bands.ToList(), descriptor.PretrainedBands, newBands);
    }

    public static LoadReport Load(ResNetEncoder encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        var own = encoder.state_dict();

        // A file key maps to the encoder key it names, or to null (reported as ignored): FPN and head tensors, and a
        // classifier the encoder lacks or whose class count differs.
        string? ToEncoderKey(string fileKey)
        {
            string key = StripWrappers(fileKey);
            if (!EncoderRoots.Any(root => key.StartsWith(root, StringComparison.Ordinal)))
            {
                return null;
            }

            bool classifier = key.StartsWith("fc.", StringComparison.Ordinal);
            return classifier && (!own.TryGetValue(key, out var target) || !target.shape.SequenceEqual(source[fileKey].shape)) ? null : key;
        }

        using var scope = NewDisposeScope();
        var prepared = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        bool fileHasClassifier = false;
        foreach (var (fileKey, tensor) in source)
        {
            string? key = ToEncoderKey(fileKey);
            fileHasClassifier |= key == "fc.weight";
            prepared[fileKey] = key == "conv1.weight"
                ? PretrainedBandWeights.Reselect(tensor, own["conv1.weight"], modelBands, pretrainedBands, sourceName, fileKey, newBands)
                : tensor;
        }

        // A classifier the file does not fill keeps its own initialisation (torchgeo: only fc.* may be missing).
        var options = new LoadOptions
        {
            KeyMapping = ToEncoderKey,
            IgnorePatterns = fileHasClassifier ? Array.Empty<string>() : new[] { "fc.*" },
        };
        return StateDictLoader.Load(encoder, prepared, options, sourceName);
    }

    /// <summary>The key without wrapper prefixes: <c>backbone.backbone.resnet.layer1.0.conv1.weight</c> → <c>layer1.0.conv1.weight</c>.</summary>
    public static string StripWrappers(string key)
    {
        bool stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var prefix in WrapperPrefixes)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    key = key.Substring(prefix.Length);
                    stripped = true;
                }
            }
        }

        return key;
    }
}
