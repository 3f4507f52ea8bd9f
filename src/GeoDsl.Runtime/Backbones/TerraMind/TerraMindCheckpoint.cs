using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.TerraMind;

/// <summary>
/// Loads published TerraMind weights into a <see cref="TerraMindViT"/>, as TerraTorch's <c>build_terrammind_vit</c> does with
/// <c>checkpoint_filter_fn</c> and <c>select_modality_patch_embed_weights</c> (terramind_register.py).
/// </summary>
/// <remarks>
/// <para>The published files (<c>ibm-esa-geospatial/TerraMind-1.0-{tiny,small,base,large}</c>, <c>TerraMind_v1_*.pt</c>)
/// hold the whole any-to-any model (terramind.py <c>TerraMind</c>): the encoder under the encoder's own names
/// (<c>encoder_embeddings.&lt;key&gt;.{proj.weight, mod_emb, pos_emb}</c>, <c>encoder.N.…</c>, <c>encoder_norm.…</c>) and the
/// decoder side (<c>decoder_embeddings.*</c>, <c>decoder_proj_context.*</c>, <c>decoder.N.*</c>, <c>decoder_norm.*</c>,
/// <c>mask_token</c>), plus embeddings of modalities this model does not take (token inputs, other sensors). GeoDsl reads
/// safetensors, so convert the .pt once (<c>safetensors.torch.save_file(torch.load(path), out)</c>).</para>
/// <para>Kept: the encoder tensors of this model's modalities. Ignored: the decoder side, <c>register_tokens</c>, other
/// modalities' embeddings, the fixed <c>pos_emb</c> tables (the model computes its own for its <c>img_size</c>), and
/// <c>missing_mod_token</c> when the file has none (TerraTorch leaves it random too). Each modality's <c>proj.weight</c>
/// [D, p²·C] is viewed as [D, p², C] and its band axis re-selected for the model's bands of that modality
/// (<see cref="PretrainedBandWeights"/>). A state dict saved from a TerraTorch or GeoDsl model (keys
/// <c>encoder.encoder_embeddings.…</c>) loads too: the outer <c>encoder.</c> is dropped.</para>
/// </remarks>
public static class TerraMindCheckpoint
{
    /// <summary>Keys of the published file that belong to the decoder (generation) side.</summary>
    public static IReadOnlyList<string> DecoderPatterns { get; } = new[] { "decoder*", "mask_token", "register_tokens" };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    /// <param name="modelBands">The model's input bands in channel order: each modality's bands in turn.</param>
    /// <param name="newBands">How bands a modality's checkpoint lacks start (default: the mean of its pretrained channels).</param>
    public static LoadReport Load(TerraMindViT encoder, string path, IReadOnlyList<string> modelBands, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, modelBands, path, newBands);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <param name="pretrainedBands">Each embedding key's bands in the file; default: the catalog's (TerraTorch's PRETRAINED_BANDS),
    /// or for a whole-model state dict the model's own bands.</param>
    public static LoadReport Load(TerraMindViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands, string sourceName,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained, IReadOnlyDictionary<string, IReadOnlyList<string>>? pretrainedBands = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(modelBands);
        var modalities = encoder.Options.Modalities;
        if (modelBands.Count != encoder.Options.InChannels)
        {
            throw new ArgumentException(
                $"{modelBands.Count} model bands were given for an encoder with {encoder.Options.InChannels} input channels " +
                $"({string.Join(" + ", modalities.Select(m => $"{m.Name} {m.Channels}"))}).", nameof(modelBands));
        }

        // A whole-model state dict (TerraTorch's PixelWiseModel, GeoModel) nests the backbone under "encoder.".
        bool nested = source.Keys.Any(k => k.StartsWith("encoder.encoder_embeddings.", StringComparison.Ordinal));
        var prepared = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in source)
        {
            if (nested && !key.StartsWith("encoder.", StringComparison.Ordinal))
            {
                continue; // necks, decoder and head of a whole model
            }

            prepared[nested ? key.Substring("encoder.".Length) : key] = tensor;
        }

        var own = modalities.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var ignored = new List<string>(DecoderPatterns) { "encoder_embeddings.*.pos_emb" };
        ignored.AddRange(prepared.Keys
            .Where(k => k.StartsWith("encoder_embeddings.", StringComparison.Ordinal))
            .Where(k => !own.Contains(k.Split('.')[1])));
        if (!prepared.ContainsKey("missing_mod_token"))
        {
            ignored.Add("missing_mod_token");
        }

        using var scope = NewDisposeScope();
        var state = encoder.state_dict();
        int offset = 0;
        foreach (var modality in modalities)
        {
            string key = $"encoder_embeddings.{modality.Key}.proj.weight";
            var bands = modelBands.Skip(offset).Take(modality.Channels).ToList();
            offset += modality.Channels;
            if (!prepared.TryGetValue(key, out var pretrained))
            {
                continue; // reported as missing by the loader
            }

            // A whole-model state dict was saved from a fine-tuned model: its embeddings already take that model's bands.
            var trained = pretrainedBands is not null && pretrainedBands.TryGetValue(modality.Key, out var given)
                ? given
                : nested
                    ? bands
                    : TerraMindVariants.FindModalityByKey(modality.Key)?.Bands
                      ?? throw new ArgumentException($"No pretrained bands are known for embedding {modality.Key}; pass them.", nameof(pretrainedBands));
            prepared[key] = Reselect(pretrained, state[key], bands, trained, sourceName, key, newBands, encoder.Options.PatchSize);
        }

        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>
    /// Re-selects the band axis of a patch projection [D, p²·C] whose inputs run pixel-major with the band fastest: viewed as
    /// [D, p², C], bands are picked on axis 2, as <c>select_modality_patch_embed_weights</c> does.
    /// </summary>
    private static Tensor Reselect(Tensor pretrained, Tensor own, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        string sourceName, string key, NewBandInitialization newBands, int patch)
    {
        long pixels = (long)patch * patch;
        bool fits = pretrained.dim() == 2 && pretrained.shape[0] == own.shape[0] && pretrained.shape[1] == pixels * pretrainedBands.Count;
        if (!fits)
        {
            if (pretrained.dim() == 2 && pretrained.shape[0] == own.shape[0] && pretrained.shape[1] % pixels == 0)
            {
                throw new ArgumentException(
                    $"'{sourceName}': {key} has {pretrained.shape[1] / pixels} input bands but {pretrainedBands.Count} pretrained bands are known " +
                    $"({string.Join(", ", pretrainedBands)}); pass the checkpoint's bands.");
            }

            return pretrained; // another width or patch: the strict loader reports the mismatch by name
        }

        var pretrainedView = pretrained.reshape(pretrained.shape[0], pixels, pretrainedBands.Count);
        var ownView = own.reshape(own.shape[0], pixels, modelBands.Count);
        var selected = PretrainedBandWeights.Reselect(pretrainedView, ownView, modelBands, pretrainedBands, sourceName, key, newBands, channelAxis: 2);
        return selected.reshape(own.shape[0], pixels * modelBands.Count);
    }
}
