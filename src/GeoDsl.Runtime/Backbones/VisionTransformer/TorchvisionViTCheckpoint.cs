using System;
using System.Collections.Generic;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.VisionTransformer;

/// <summary>
/// Loads torchvision ViT weights (a state dict of <c>vit_b_16</c> and its siblings saved as safetensors) into a
/// <see cref="TorchvisionViT"/>: keys are torchvision's own; <c>heads.*</c> is ignored when the model has no classifier;
/// pre-version-2 MLP keys (<c>mlp.linear_1</c>/<c>mlp.linear_2</c>) are renamed to <c>mlp.0</c>/<c>mlp.3</c> as
/// torchvision's <c>MLPBlock._load_from_state_dict</c> does; a position embedding of another grid is resized as
/// torchvision's <c>interpolate_embeddings</c> does; <c>conv_proj.weight</c> is re-selected for the model's bands
/// (<see cref="PretrainedBandWeights"/>).
/// </summary>
public static class TorchvisionViTCheckpoint
{
    private const string PositionKey = "encoder.pos_embedding";
    private const string PatchKey = "conv_proj.weight";

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="model"/>.</summary>
    /// <param name="modelBands">The model's input bands, in channel order.</param>
    /// <param name="pretrainedBands">The bands the checkpoint was trained on (ImageNet RGB by default).</param>
    /// <param name="newBands">How bands the checkpoint lacks start (default: the mean of the pretrained channels).</param>
    public static LoadReport Load(TorchvisionViT model, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
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

    public static LoadReport Load(TorchvisionViT model, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        var prepared = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            prepared[RenameLegacyMlp(key)] = value;
        }

        var own = model.state_dict();
        if (prepared.TryGetValue(PositionKey, out var positions) && !positions.shape.AsSpan().SequenceEqual(own[PositionKey].shape))
        {
            prepared[PositionKey] = ResizePositions(positions, model.Options.PositionGrid);
        }

        if (prepared.TryGetValue(PatchKey, out var patchWeight))
        {
            prepared[PatchKey] = PretrainedBandWeights.Reselect(patchWeight, own[PatchKey], modelBands, pretrainedBands, sourceName, PatchKey, newBands);
        }

        var ignored = model.HasClassifier ? Array.Empty<string>() : new[] { "heads.*" };
        return StateDictLoader.Load(model, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>ImageNet RGB in torchvision's channel order.</summary>
    public static IReadOnlyList<string> ImageNetBands => Bands.FindSensor("s2_rgb")!.Bands;

    /// <summary><c>…mlp.linear_1.*</c> → <c>…mlp.0.*</c>, <c>…mlp.linear_2.*</c> → <c>…mlp.3.*</c>; other keys unchanged.</summary>
    public static string RenameLegacyMlp(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(".mlp.linear_1.", ".mlp.0.", StringComparison.Ordinal).Replace(".mlp.linear_2.", ".mlp.3.", StringComparison.Ordinal);
    }

    private static Tensor ResizePositions(Tensor positions, (int Rows, int Columns) target)
    {
        // torchvision's checkpoints store a square grid: 1 + s² positions.
        var patches = positions.dim() == 3 ? positions.shape[1] - 1 : -1;
        var side = (int)Math.Round(Math.Sqrt(Math.Max(patches, 0)));
        if (positions.dim() != 3 || positions.shape[0] != 1 || (long)side * side != patches || side == 0)
        {
            // Not a square grid: leave it to the strict loader, which names the mismatch.
            return positions;
        }

        using (torch.no_grad())
        {
            return TorchvisionViTEncoder.Resize(positions, (side, side), target).to(positions.dtype);
        }
    }
}
