using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// Loads a published Prithvi checkpoint (the MAE pretraining file, or a fine-tuned encoder) into a
/// <see cref="PrithviViT"/>, as TerraTorch's <c>checkpoint_filter_fn_vit</c> prepares one: the <c>encoder.</c>
/// prefix is stripped, the MAE decoder and mask token are ignored, the fixed positional embedding is kept as the
/// model computed it (it depends on frames and image size), time/location scales are ignored when the model has
/// no such encoder, and the patch embedding is re-selected for the model's bands (<see cref="PretrainedBandWeights"/>).
/// </summary>
public static class PrithviCheckpoint
{
    /// <summary>Keys of the MAE pretraining file that the encoder does not have.</summary>
    public static IReadOnlyList<string> MaeOnlyPatterns { get; } = new[] { "decoder*", "*_dec*", "mask_token" };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    /// <param name="modelBands">The model's input bands, in channel order.</param>
    /// <param name="pretrainedBands">The bands the checkpoint was trained on (Prithvi's six HLS bands by default).</param>
    /// <param name="newBands">How bands the checkpoint lacks start (default: the mean of the pretrained channels).</param>
    public static LoadReport Load(PrithviViT encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, pretrainedBands ?? Bands.PrithviDefault, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public static LoadReport Load(PrithviViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var prepared = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var pair in source)
        {
            string key = pair.Key.StartsWith("encoder.", StringComparison.Ordinal) ? pair.Key.Substring("encoder.".Length) : pair.Key;
            prepared[key] = pair.Value;
        }

        var ignored = new List<string>(MaeOnlyPatterns) { "pos_embed" };
        if (!encoder.HasTemporalEncoder)
        {
            ignored.Add("temporal_embed*");
        }

        if (!encoder.HasLocationEncoder)
        {
            ignored.Add("location_embed*");
        }

        using var scope = NewDisposeScope();
        if (prepared.TryGetValue("patch_embed.proj.weight", out var patchWeight))
        {
            var own = encoder.state_dict()["patch_embed.proj.weight"];
            prepared["patch_embed.proj.weight"] = PretrainedBandWeights.Reselect(patchWeight, own, modelBands, pretrainedBands, sourceName, "patch_embed.proj.weight", newBands);
        }

        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }
}
