using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GeoDsl.Composition.Catalog;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// Loads Prithvi-Swin weights into a <see cref="PrithviSwinTransformer"/>, as TerraTorch's <c>checkpoint_filter_fn</c>
/// (<c>terratorch/models/backbones/prithvi_swin.py</c> @85467a9) prepares them, from either form they come in:
/// <list type="bullet">
/// <item>MMSeg/TerraTorch names (<c>patch_embed.projection</c>, <c>stages.N</c> or timm's <c>stages_N</c>), bare or under
/// <c>backbone.</c>, <c>encoder.</c> or <c>model.encoder.</c> (a fine-tuned TerraTorch model such as the granite
/// biomass and land-surface-temperature checkpoints);</item>
/// <item>the original Swin implementation's names as SimMIM pretraining saves them (<c>encoder.layers.N…</c>,
/// <c>attn.qkv</c>, <c>mlp.fc1</c>, <c>patch_embed.proj</c>), renamed as TerraTorch's <c>convert_weights_swin2mmseg</c>
/// does, with the patch-merging <c>reduction</c>/<c>norm</c> reordered from the (0,0), (1,0), (0,1), (1,1)
/// concatenation to <c>nn.Unfold</c>'s channel-major order. That format has no per-stage output norms: they keep their
/// initialisation (TerraTorch loads non-strictly and leaves them too).</item>
/// </list>
/// Relative position tables of another window size are resized bicubically (TerraTorch does the same); the patch
/// projection is re-selected for the model's bands; classifier, decoder, final norm, mask token and attention-mask
/// tensors are ignored, and so are stages the model does not build.
/// </summary>
public static class PrithviSwinCheckpoint
{
    private static readonly string[] WrapperPrefixes = { "module.", "model.", "encoder.", "backbone." };

    private static readonly Regex UnflattenedStage = new(@"^stages\.(\d+)\.", RegexOptions.CultureInvariant);

    /// <param name="pretrainedBands">The bands the file was trained on (Prithvi's six HLS bands by default).</param>
    public static LoadReport Load(PrithviSwinTransformer model, string path, IReadOnlyList<string> modelBands, IReadOnlyList<string>? pretrainedBands = null,
        NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained) =>
        SwinCheckpoint.WithFile(path, source => Load(model, source, modelBands, pretrainedBands ?? Bands.PrithviDefault, path, newBands));

    public static LoadReport Load(PrithviSwinTransformer model, IReadOnlyDictionary<string, Tensor> source, IReadOnlyList<string> modelBands,
        IReadOnlyList<string> pretrainedBands, string sourceName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        // Tensors outside the encoder (classifier, decoder, final norm, mask token, …) keep their file name and are ignored
        // by name, so the report lists them as the file has them.
        var outside = source.Keys.Where(k => !IsEncoderKey(StripWrappers(k))).ToList();
        var stripped = source.Where(p => !outside.Contains(p.Key)).ToDictionary(p => StripWrappers(p.Key), p => p.Value, StringComparer.Ordinal);
        bool microsoftNames = stripped.Keys.Any(k => k.StartsWith("layers.", StringComparison.Ordinal));
        var prepared = microsoftNames ? FromMicrosoftSwin(stripped) : stripped.ToDictionary(p => UnflattenedStage.Replace(p.Key, "stages_$1."), p => p.Value, StringComparer.Ordinal);
        foreach (var key in outside)
        {
            prepared[key] = source[key];
        }

        var own = model.state_dict();
        foreach (var key in prepared.Keys.Where(k => k.EndsWith(".relative_position_bias_table", StringComparison.Ordinal)).ToList())
        {
            if (own.TryGetValue(key, out var target))
            {
                prepared[key] = ResizeBiasTable(prepared[key], target);
            }
        }

        const string projection = "patch_embed.projection.weight";
        if (prepared.TryGetValue(projection, out var weight))
        {
            prepared[projection] = PretrainedBandWeights.Reselect(weight, own[projection], modelBands, pretrainedBands, sourceName, projection, newBands);
        }

        var ignored = new List<string>(outside) { "*attn_mask", "*relative_position_index" };
        ignored.AddRange(Enumerable.Range(model.BuiltStages, 4 - model.BuiltStages).Select(i => "stages_" + i.ToString(CultureInfo.InvariantCulture) + ".*"));
        if (microsoftNames)
        {
            ignored.Add("stages_?.norm.*");
        }

        return StateDictLoader.Load(model, prepared, new LoadOptions { IgnorePatterns = ignored }, sourceName);
    }

    /// <summary>
    /// TerraTorch's <c>convert_weights_swin2mmseg</c> with timm's flattened stage names: <c>layers.N</c> → <c>stages_N</c>,
    /// <c>attn.</c> → <c>attn.w_msa.</c>, <c>mlp.fc1</c>/<c>mlp.fc2</c> → <c>ffn.layers.0.0</c>/<c>ffn.layers.1</c>,
    /// <c>patch_embed.proj</c> → <c>patch_embed.projection</c>, the merging weights reordered; <c>head.*</c> dropped.
    /// </summary>
    public static Dictionary<string, Tensor> FromMicrosoftSwin(IReadOnlyDictionary<string, Tensor> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var converted = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            if (key.StartsWith("head", StringComparison.Ordinal))
            {
                continue;
            }

            string name = key;
            var tensor = value;
            if (key.StartsWith("layers", StringComparison.Ordinal))
            {
                if (key.Contains("attn.", StringComparison.Ordinal))
                {
                    name = key.Replace("attn.", "attn.w_msa.", StringComparison.Ordinal);
                }
                else if (key.Contains("mlp.", StringComparison.Ordinal))
                {
                    name = key.Replace("mlp.fc1.", "ffn.layers.0.0.", StringComparison.Ordinal).Replace("mlp.fc2.", "ffn.layers.1.", StringComparison.Ordinal).Replace("mlp.", "ffn.", StringComparison.Ordinal);
                }
                else if (key.Contains("downsample", StringComparison.Ordinal))
                {
                    if (key.Contains("reduction.", StringComparison.Ordinal))
                    {
                        tensor = UnfoldOrderReduction(value);
                    }
                    else if (key.Contains("norm.", StringComparison.Ordinal))
                    {
                        tensor = UnfoldOrderNorm(value);
                    }
                }

                name = Regex.Replace(name, @"^layers\.(\d+)\.", "stages_$1.", RegexOptions.CultureInvariant);
            }
            else if (key.StartsWith("patch_embed", StringComparison.Ordinal))
            {
                name = key.Replace("proj", "projection", StringComparison.Ordinal);
            }

            converted[name] = tensor;
        }

        return converted;
    }

    /// <summary>
    /// A merging <c>reduction</c> weight [out, 4C] from the concatenation order (0,0), (1,0), (0,1), (1,1) to
    /// <c>nn.Unfold</c>'s c·4 + 2·row + column (TerraTorch's <c>correct_unfold_reduction_order</c>).
    /// </summary>
    public static Tensor UnfoldOrderReduction(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long outChannels = weight.shape[0], inChannels = weight.shape[1];
        using var order = torch.tensor(new long[] { 0, 2, 1, 3 });
        return weight.reshape(outChannels, 4, inChannels / 4).index_select(1, order).transpose(1, 2).reshape(outChannels, inChannels);
    }

    /// <summary>The merging norm's weight or bias [4C], reordered like <see cref="UnfoldOrderReduction"/>.</summary>
    public static Tensor UnfoldOrderNorm(Tensor vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        long channels = vector.shape[0];
        using var order = torch.tensor(new long[] { 0, 2, 1, 3 });
        return vector.reshape(4, channels / 4).index_select(0, order).transpose(0, 1).reshape(channels);
    }

    /// <summary>Encoder tensors in either naming: the patch embedding and the stages (MMSeg) or layers (original Swin).</summary>
    private static bool IsEncoderKey(string key) =>
        key.StartsWith("patch_embed.", StringComparison.Ordinal) || key.StartsWith("stages", StringComparison.Ordinal) || key.StartsWith("layers.", StringComparison.Ordinal);

    private static string StripWrappers(string key)
    {
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

        return key;
    }

    /// <summary>A [(2w−1)², heads] table of another window, resized bicubically over its (2w−1)² grid, as TerraTorch does.</summary>
    private static Tensor ResizeBiasTable(Tensor pretrained, Tensor own)
    {
        if (pretrained.dim() != 2 || own.dim() != 2 || pretrained.shape[1] != own.shape[1] || pretrained.shape[0] == own.shape[0])
        {
            return pretrained; // same size, or a head mismatch the strict loader reports
        }

        long from = (long)Math.Sqrt(pretrained.shape[0]), to = (long)Math.Sqrt(own.shape[0]), heads = own.shape[1];
        var grid = pretrained.to(ScalarType.Float32).permute(1, 0).reshape(1, heads, from, from);
        var resized = nn.functional.interpolate(grid, new[] { to, to }, mode: InterpolationMode.Bicubic);
        return resized.view(heads, to * to).permute(1, 0).contiguous();
    }
}
