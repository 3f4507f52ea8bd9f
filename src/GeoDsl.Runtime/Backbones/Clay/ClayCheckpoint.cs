using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Clay;

/// <summary>
/// Loads published Clay weights into a <see cref="ClayEncoder"/>. The released files (HF made-with-clay/Clay
/// <c>clay-v1-base.ckpt</c>, <c>v1.5/clay-v1.5.ckpt</c>) are Lightning checkpoints of <c>ClayMAEModule</c>, whose
/// <c>model</c> is the whole <c>ClayMAE</c>: the encoder sits under <c>model.encoder.</c> beside <c>model.decoder.</c>,
/// <c>model.teacher.</c> and <c>model.proj.</c> (claymodel/module.py, model.py; TerraTorch strips the same prefix in
/// clay_v1/embedder.py <c>transform_state_dict</c> and clay1_5_model_factory.py <c>_load_encoder_weights</c>). They are
/// pickles: convert the <c>state_dict</c> to safetensors (same names) first. Files saved from TerraTorch's wrappers
/// (<c>clay_encoder.</c>, <c>encoder_module.</c>, optionally under a model's <c>encoder.</c>) load too.
/// </summary>
/// <remarks>
/// Nothing is re-selected per band: Clay has no per-band first-layer weights, it generates them from the wavelengths,
/// so any bands load the same tensors. Everything outside the encoder is ignored and listed in the report.
/// </remarks>
public static class ClayCheckpoint
{
    /// <summary>Where a file may hold the encoder, tried in this order (the first under which <c>cls_token</c> exists wins).</summary>
    public static IReadOnlyList<string> EncoderPrefixes { get; } = new[]
    {
        "model.encoder.", "encoder.clay_encoder.", "encoder.encoder_module.", "clay_encoder.", "encoder_module.", "encoder.", string.Empty,
    };

    private static readonly string[] EncoderRoots = { "cls_token", "patch_embedding.", "transformer." };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    public static LoadReport Load(ClayEncoder encoder, string path)
    {
        var source = SafetensorsCheckpoint.Read(path);
        try
        {
            return Load(encoder, source, path);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Loads a state dict already in memory; <paramref name="sourceName"/> names it in the report and errors.</summary>
    public static LoadReport Load(ClayEncoder encoder, IReadOnlyDictionary<string, Tensor> source, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        string prefix = EncoderPrefixes.FirstOrDefault(p => source.ContainsKey(p + "cls_token")) ?? string.Empty;
        var options = new LoadOptions
        {
            PrefixRewrites = prefix.Length == 0 ? Array.Empty<PrefixRewrite>() : new[] { PrefixRewrite.Strip(prefix) },

            // The MAE decoder, the DINO teacher, the projection and any other key outside the encoder are dropped (reported as ignored).
            KeyMapping = key => EncoderRoots.Any(root => key.StartsWith(root, StringComparison.Ordinal)) ? key : null,
        };
        return StateDictLoader.Load(encoder, source, options, sourceName);
    }
}
