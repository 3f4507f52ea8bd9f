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
/// no such encoder, and the patch embedding is re-selected for the model's bands.
/// </summary>
public static class PrithviCheckpoint
{
    /// <summary>Keys of the MAE pretraining file that the encoder does not have.</summary>
    public static IReadOnlyList<string> MaeOnlyPatterns { get; } = new[] { "decoder*", "*_dec*", "mask_token" };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    /// <param name="modelBands">The model's input bands, in channel order.</param>
    /// <param name="pretrainedBands">The bands the checkpoint was trained on (Prithvi's six HLS bands by default).</param>
    public static LoadReport Load(PrithviViT encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, pretrainedBands ?? Bands.PrithviDefault, path);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public static LoadReport Load(PrithviViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands, string sourceName)
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
            prepared["patch_embed.proj.weight"] = SelectBands(patchWeight, own, modelBands, pretrainedBands, sourceName);
        }

        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>
    /// The patch-embedding weight [D, C, t, p, p] for the model's bands: a band the checkpoint knows takes its channel
    /// (so a subset or a reordering of the pretrained bands keeps its weights); a new band keeps the model's own
    /// initialisation, as TerraTorch's <c>select_patch_embed_weights</c> does.
    /// </summary>
    public static Tensor SelectBands(Tensor pretrained, Tensor own, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands, string sourceName)
    {
        if (pretrained.shape[1] != pretrainedBands.Count)
        {
            throw new ArgumentException(
                $"'{sourceName}': patch_embed.proj.weight has {pretrained.shape[1]} input channels but {pretrainedBands.Count} pretrained bands were named " +
                $"({string.Join(", ", pretrainedBands)}); pass the checkpoint's bands.");
        }

        if (!pretrained.shape.Skip(2).SequenceEqual(own.shape.Skip(2)) || pretrained.shape[0] != own.shape[0])
        {
            return pretrained; // A different patch or width: the loader reports the mismatch by name.
        }

        var selected = own.detach().clone();
        using (no_grad())
        {
            for (int channel = 0; channel < modelBands.Count; channel++)
            {
                int from = IndexOf(pretrainedBands, modelBands[channel]);
                if (from >= 0)
                {
                    selected[.., channel].copy_(pretrained[.., from]);
                }
            }
        }

        return selected;
    }

    private static int IndexOf(IReadOnlyList<string> bands, string band)
    {
        for (int i = 0; i < bands.Count; i++)
        {
            if (string.Equals(bands[i], band, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
