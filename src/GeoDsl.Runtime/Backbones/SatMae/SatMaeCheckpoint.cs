using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.SatMae;

/// <summary>
/// Loads published SatMAE weights. The files are MAE checkpoints, <c>torch.save({'model': state_dict, ...})</c>
/// (SatMAE <c>main_finetune.py</c> reads <c>checkpoint['model']</c>); saved as safetensors, their keys appear bare or
/// under <c>model.</c>, and both are accepted. As the reference's fine-tuning does, the MAE decoder, mask token and any
/// classifier are ignored and <c>pos_embed</c> is resized bicubically to the model's grid (<c>interpolate_pos_embed</c>,
/// align_corners = false). Pretraining files have no <c>channel_cls_embed</c> (the fine-tuning model adds it, zero at
/// start) and fine-tuned ones with global pooling carry <c>fc_norm</c> instead of <c>norm</c>; the model keeps its own
/// values for what the file lacks.
/// </summary>
public static class SatMaeCheckpoint
{
    /// <summary>Keys of MAE pretraining and fine-tuning files that the encoders do not have.</summary>
    public static IReadOnlyList<string> NotInTheEncoder { get; } = new[] { "decoder*", "mask_token*", "head.*", "fc_norm.*" };

    /// <summary>Loads <paramref name="path"/> (a .safetensors file, an index .json or a folder) into the group-channel encoder.</summary>
    public static LoadReport Load(SatMaeGroupChannelViT encoder, string path) =>
        WithFile(path, source => Load(encoder, source, path));

    /// <summary>
    /// Loads into the group-channel encoder. The groups are fixed by band name, so each group's patch embedding is the
    /// file's as it is; the model picks the group's bands from its input by name.
    /// </summary>
    public static LoadReport Load(SatMaeGroupChannelViT encoder, IReadOnlyDictionary<string, Tensor> source, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var scope = NewDisposeScope();
        var prepared = MaeCheckpoints.StripPrefix(source, "model.");
        var ignored = new List<string>(NotInTheEncoder);
        if (!prepared.ContainsKey("channel_cls_embed"))
        {
            ignored.Add("channel_cls_embed");
        }

        if (!prepared.ContainsKey("norm.weight") && prepared.ContainsKey("fc_norm.weight"))
        {
            ignored.Add("norm.*");
        }

        MaeCheckpoints.FitPositionTable(prepared, "pos_embed", prefixTokens: 1, encoder.Options.DeclaredGrid, sourceName);
        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>Loads <paramref name="path"/> into the temporal encoder, re-selecting the patch embedding for <paramref name="modelBands"/>.</summary>
    /// <param name="pretrainedBands">The file's bands (fMoW RGB: RED, GREEN, BLUE by default).</param>
    public static LoadReport Load(SatMaeTemporalViT encoder, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained) =>
        WithFile(path, source => Load(encoder, source, modelBands, pretrainedBands ?? SatMaeVariants.RgbBands, path, newBands));

    public static LoadReport Load(SatMaeTemporalViT encoder, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var scope = NewDisposeScope();
        var prepared = MaeCheckpoints.StripPrefix(source, "model.");
        MaeCheckpoints.FitPositionTable(prepared, "pos_embed", prefixTokens: 1, encoder.Options.DeclaredGrid, sourceName);
        MaeCheckpoints.ReselectBands(encoder, prepared, "patch_embed.proj.weight", modelBands, pretrainedBands, sourceName, newBands);
        return StateDictLoader.Load(encoder, prepared, new LoadOptions { IgnorePatterns = NotInTheEncoder }, sourceName);
    }

    private static LoadReport WithFile(string path, Func<IReadOnlyDictionary<string, Tensor>, LoadReport> load)
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

/// <summary>Checkpoint preparation steps the MAE-family loaders share.</summary>
public static class MaeCheckpoints
{
    /// <summary>The file's tensors with the first of <paramref name="prefixes"/> that every key carries stripped (none when they differ).</summary>
    public static Dictionary<string, Tensor> StripPrefix(IReadOnlyDictionary<string, Tensor> source, params string[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(source);
        var prefix = prefixes.FirstOrDefault(p => source.Count > 0 && source.Keys.All(k => k.StartsWith(p, StringComparison.Ordinal))) ?? string.Empty;
        return source.ToDictionary(pair => pair.Key[prefix.Length..], pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Resizes a learned position table in the file, [1, prefix + s·s, C] on a square grid as the MAE family saves it, to
    /// <paramref name="grid"/> when the sizes differ (bicubic, align_corners = false; the prefix rows are kept).
    /// </summary>
    public static void FitPositionTable(Dictionary<string, Tensor> prepared, string key, int prefixTokens, (int Rows, int Columns) grid, string sourceName)
    {
        if (!prepared.TryGetValue(key, out var table) || table.dim() != 3)
        {
            return;
        }

        var patches = table.shape[1] - prefixTokens;
        if (patches == (long)grid.Rows * grid.Columns)
        {
            return;
        }

        var side = (int)Math.Round(Math.Sqrt(patches));
        if ((long)side * side != patches)
        {
            throw new ArgumentException(
                $"'{sourceName}': {key} has {table.shape[1]} rows, which is not {prefixTokens} + a square grid; it cannot be resized to {grid.Rows}×{grid.Columns}.");
        }

        using (no_grad())
        {
            prepared[key] = MaePositions.Resample(table.to(ScalarType.Float32), prefixTokens, (side, side), grid);
        }
    }

    /// <summary>Re-selects the input channels of a patch embedding in the file for the model's bands (<see cref="PretrainedBandWeights"/>).</summary>
    public static void ReselectBands(nn.Module encoder, Dictionary<string, Tensor> prepared, string key, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (prepared.TryGetValue(key, out var weight))
        {
            var own = encoder.state_dict()[key];
            prepared[key] = PretrainedBandWeights.Reselect(weight, own, modelBands, pretrainedBands, sourceName, key, newBands);
        }
    }
}
