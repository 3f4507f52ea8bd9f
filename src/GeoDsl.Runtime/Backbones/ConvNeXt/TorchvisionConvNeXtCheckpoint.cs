using System;
using System.Collections.Generic;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.ConvNeXt;

/// <summary>
/// Loads torchvision ConvNeXt weights (a state dict of <c>convnext_tiny</c> and its siblings saved as safetensors) into a
/// <see cref="TorchvisionConvNeXt"/>: keys are torchvision's own; <c>classifier.*</c> is ignored when the model has no
/// classifier; the stem convolution <c>features.0.0.weight</c> is re-selected for the model's bands
/// (<see cref="PretrainedBandWeights"/>).
/// </summary>
public static class TorchvisionConvNeXtCheckpoint
{
    private const string StemKey = "features.0.0.weight";

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="model"/>.</summary>
    /// <param name="modelBands">The model's input bands, in channel order.</param>
    /// <param name="pretrainedBands">The bands the checkpoint was trained on (ImageNet RGB by default).</param>
    /// <param name="newBands">How bands the checkpoint lacks start (default: the mean of the pretrained channels).</param>
    public static LoadReport Load(TorchvisionConvNeXt model, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(model, source, modelBands, pretrainedBands ?? ImageNetBands, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public static LoadReport Load(TorchvisionConvNeXt model, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        var prepared = new Dictionary<string, Tensor>(source, StringComparer.Ordinal);
        if (prepared.TryGetValue(StemKey, out var stem))
        {
            prepared[StemKey] = PretrainedBandWeights.Reselect(stem, model.state_dict()[StemKey], modelBands, pretrainedBands, sourceName, StemKey, newBands);
        }

        var ignored = model.HasClassifier ? Array.Empty<string>() : new[] { "classifier.*" };
        return StateDictLoader.Load(model, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>ImageNet RGB in torchvision's channel order.</summary>
    public static IReadOnlyList<string> ImageNetBands => Bands.FindSensor("s2_rgb")!.Bands;
}
