using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Weights;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Dofa;

/// <summary>
/// Loads published DOFA weights into a <see cref="DofaViT"/>. torchgeo's files (<c>DOFABase16_Weights.DOFA_MAE</c>,
/// <c>DOFALarge16_Weights.DOFA_MAE</c>: dofa_base_patch16_224-a0275954.pth, dofa_large_patch16_224-0ff904d3.pth) hold the
/// encoder's keys bare (<c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed.*</c>, <c>blocks.*</c>); torchgeo loads them
/// allowing only <c>fc_norm.*</c> and <c>head.*</c> to be missing. They are pickles: convert to safetensors (same names)
/// first. Files saved from TerraTorch's <c>DOFAEncoderWrapper</c> (<c>dofa_model.</c>, optionally under a model's
/// <c>encoder.</c>) load too; classifier and MAE-decoder tensors are ignored.
/// </summary>
/// <remarks>
/// The checkpoint's <c>pos_embed</c> covers the 14×14 grid of 224-px training; for another grid it is resized bilinearly
/// (class row kept), as TerraTorch's <c>load_dofa_weights</c> does with <c>resize_pos_embed</c>. Nothing is re-selected
/// per band: DOFA generates its patch weights from the wavelengths, so any bands load the same tensors.
/// </remarks>
public static class DofaCheckpoint
{
    /// <summary>Where a file may hold the encoder, tried in this order (the first under which <c>cls_token</c> exists wins).</summary>
    public static IReadOnlyList<string> EncoderPrefixes { get; } = new[] { "encoder.dofa_model.", "dofa_model.", "model.", string.Empty };

    private static readonly string[] EncoderRoots = { "cls_token", "pos_embed", "patch_embed.", "blocks." };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into <paramref name="encoder"/>.</summary>
    public static LoadReport Load(DofaViT encoder, string path)
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
    public static LoadReport Load(DofaViT encoder, IReadOnlyDictionary<string, Tensor> source, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        string prefix = EncoderPrefixes.FirstOrDefault(p => source.ContainsKey(p + "cls_token")) ?? string.Empty;
        using var scope = NewDisposeScope();
        var prepared = new Dictionary<string, Tensor>(source, StringComparer.Ordinal);
        if (prepared.TryGetValue(prefix + "pos_embed", out var table))
        {
            prepared[prefix + "pos_embed"] = Resized(table, encoder.DeclaredGrid, sourceName);
        }

        var options = new LoadOptions
        {
            PrefixRewrites = prefix.Length == 0 ? Array.Empty<PrefixRewrite>() : new[] { PrefixRewrite.Strip(prefix) },

            // torchgeo's classifier (fc_norm, head), a final norm and MAE pretraining tensors are not part of the encoder.
            KeyMapping = key => EncoderRoots.Any(root => key.StartsWith(root, StringComparison.Ordinal)) ? key : null,
        };
        return StateDictLoader.Load(encoder, prepared, options, sourceName);
    }

    private static Tensor Resized(Tensor table, TokenGrid target, string sourceName)
    {
        if (table.dim() != 3 || table.shape[0] != 1)
        {
            return table; // Not a [1, 1 + N, D] table: the strict loader names the mismatch.
        }

        var patches = table.shape[1] - 1;
        var side = (int)Math.Round(Math.Sqrt(patches));
        if (patches == target.Tokens || (long)side * side != patches)
        {
            return table;
        }

        if (side < 1)
        {
            throw new ArgumentException($"'{sourceName}': pos_embed [{string.Join(", ", table.shape)}] holds no patch positions.");
        }

        return DofaViT.ResizePositionEmbedding(table, new TokenGrid(1, side, side), target);
    }
}
