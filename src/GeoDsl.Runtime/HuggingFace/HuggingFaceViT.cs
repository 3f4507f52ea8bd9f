using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GeoDsl.Composition.Catalog.Backbones;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>
/// Hugging Face <c>ViTModel</c> / <c>ViTForImageClassification</c> (transformers <c>models/vit/modeling_vit.py</c>) as the
/// catalog's torchvision ViT. Fields: hidden_size → hidden_dim, num_hidden_layers → num_layers, num_attention_heads →
/// num_heads, intermediate_size → mlp_dim, patch_size, image_size, num_channels (the input bands).
/// </summary>
/// <remarks>
/// Keys (with or without the <c>vit.</c> prefix): <c>embeddings.cls_token</c> → <c>class_token</c>;
/// <c>embeddings.position_embeddings</c> → <c>encoder.pos_embedding</c>; <c>embeddings.patch_embeddings.projection</c> →
/// <c>conv_proj</c>; per layer i, <c>encoder.layer.i.layernorm_before</c> → <c>encoder.layers.encoder_layer_i.ln_1</c>,
/// <c>attention.output.dense</c> → <c>self_attention.out_proj</c>, <c>layernorm_after</c> → <c>ln_2</c>,
/// <c>intermediate.dense</c> → <c>mlp.0</c>, <c>output.dense</c> → <c>mlp.3</c>; <c>layernorm</c> → <c>encoder.ln</c>.
/// Hugging Face keeps separate <c>attention.attention.query/key/value</c> Linear layers; torch's MultiheadAttention
/// (torchvision's <c>self_attention</c>) holds one <c>in_proj_weight</c> [3D, D] whose rows are q, then k, then v, so the
/// three weights are concatenated along dim 0 in that order (likewise the biases into <c>in_proj_bias</c> [3D]).
/// <c>pooler.*</c> and <c>classifier.*</c> are dropped: a backbone has neither.
/// </remarks>
public sealed class HuggingFaceViT : IHuggingFaceArchitecture
{
    private static readonly Regex LayerKey = new(@"^encoder\.layer\.(\d+)\.(.+)$");

    private static readonly Dictionary<string, string> LayerParts = new(System.StringComparer.Ordinal)
    {
        ["layernorm_before"] = "ln_1",
        ["attention.output.dense"] = "self_attention.out_proj",
        ["layernorm_after"] = "ln_2",
        ["intermediate.dense"] = "mlp.0",
        ["output.dense"] = "mlp.3",
    };

    public IReadOnlyList<string> ModelTypes { get; } = new[] { "vit" };

    public HuggingFaceBackbone Backbone(HuggingFaceConfig config)
    {
        int width = config.Int("hidden_size", 768);
        int layers = config.Int("num_hidden_layers", 12);
        int heads = config.Int("num_attention_heads", 12);
        int mlp = config.Int("intermediate_size", 3072);
        int patch = config.Int("patch_size", 16);
        int image = config.Int("image_size", 224);
        if (config.String("hidden_act", "gelu") != "gelu")
        {
            throw config.Unsupported("hidden_act", $"is \"{config.String("hidden_act", "gelu")}\"; the catalog's ViT uses GELU (\"gelu\")");
        }

        if (width % heads != 0)
        {
            throw config.Unsupported("num_attention_heads", $"({heads}) does not divide hidden_size ({width})");
        }

        // The catalog entry with exactly these sizes, else ViT-B/16 with overrides.
        var variant = VisionTransformerVariants.All.FirstOrDefault(v => v.HiddenDim == width && v.NumLayers == layers && v.NumHeads == heads && v.MlpDim == mlp && v.PatchSize == patch)
            ?? VisionTransformerVariants.All.First(v => v.Name == "vit_base_patch16");
        var args = new List<string> { $"image_size = {I(image)}" };
        void Override(string name, int value, int catalog)
        {
            if (value != catalog)
            {
                args.Add($"{name} = {I(value)}");
            }
        }

        Override("patch_size", patch, variant.PatchSize);
        Override("hidden_dim", width, variant.HiddenDim);
        Override("num_layers", layers, variant.NumLayers);
        Override("num_heads", heads, variant.NumHeads);
        Override("mlp_dim", mlp, variant.MlpDim);

        var notes = new List<string>();
        double eps = config.Double("layer_norm_eps", 1e-12);
        if (eps != 1e-6)
        {
            notes.Add($"layer_norm_eps is {eps.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", System.StringComparison.Ordinal)} in the config; torchvision's ViT (the catalog's) uses 1e-6, which changes outputs only for near-constant tokens.");
        }

        if (!config.Bool("qkv_bias", true))
        {
            notes.Add("qkv_bias is false: the q/k/v biases are absent from the checkpoint and load as zeros.");
        }

        var tail = new[]
        {
            $"neck select_indices {{ indices = [{I(layers - 1)}] }}",
            "neck reshape_tokens_to_image",
            "decoder fcn { channels = 256, num_convs = 2 }",
        };
        return new HuggingFaceBackbone(variant.Name, args, tail, notes);
    }

    public HuggingFaceKeyMapping MapKeys(HuggingFaceConfig config, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var attention = new Dictionary<(string Layer, string Kind), Dictionary<string, Tensor>>();
        var mapping = KeyRules.Rename(tensors, "vit", new[] { "pooler.", "classifier." }, key =>
        {
            switch (key)
            {
                case "embeddings.cls_token": return "class_token";
                case "embeddings.position_embeddings": return "encoder.pos_embedding";
                case "embeddings.patch_embeddings.projection.weight": return "conv_proj.weight";
                case "embeddings.patch_embeddings.projection.bias": return "conv_proj.bias";
                case "layernorm.weight": return "encoder.ln.weight";
                case "layernorm.bias": return "encoder.ln.bias";
            }

            var match = LayerKey.Match(key);
            if (!match.Success)
            {
                return null;
            }

            string prefix = $"encoder.layers.encoder_layer_{match.Groups[1].Value}.";
            string rest = match.Groups[2].Value;
            int dot = rest.LastIndexOf('.');
            string part = dot < 0 ? rest : rest.Substring(0, dot);
            string leaf = dot < 0 ? string.Empty : rest.Substring(dot + 1);
            if (LayerParts.TryGetValue(part, out string? target))
            {
                return prefix + target + "." + leaf;
            }

            // q/k/v are fused below; mark them as handled here by a placeholder name.
            return part is "attention.attention.query" or "attention.attention.key" or "attention.attention.value" && leaf is "weight" or "bias"
                ? $"{prefix}|{part.Substring("attention.attention.".Length)}|{leaf}"
                : null;
        });

        var mapped = mapping.Mapped.Where(p => !p.Key.Contains('|')).ToDictionary(p => p.Key, p => p.Value, System.StringComparer.Ordinal);
        var unmapped = mapping.Unmapped.ToList();
        foreach (var group in mapping.Mapped.Where(p => p.Key.Contains('|')).GroupBy(p => (Layer: p.Key.Split('|')[0], Leaf: p.Key.Split('|')[2])))
        {
            var parts = group.ToDictionary(p => p.Key.Split('|')[1], p => p.Value);
            string fused = group.Key.Layer + "self_attention.in_proj_" + group.Key.Leaf;
            if (parts.Count == 3)
            {
                mapped[fused] = cat(new[] { parts["query"], parts["key"], parts["value"] }, 0);
            }
            else
            {
                // Without all three the fused tensor cannot be built; the loader then reports it missing.
                unmapped.AddRange(parts.Keys.Select(kind => $"{fused} ({kind} only: query, key and value are needed together)"));
            }
        }

        // qkv_bias = false: the module's biases stay as zeros, as Hugging Face's bias-free projections compute.
        if (!config.Bool("qkv_bias", true))
        {
            foreach (var weight in mapped.Keys.Where(k => k.EndsWith("self_attention.in_proj_weight", System.StringComparison.Ordinal)).ToList())
            {
                mapped[weight.Replace("in_proj_weight", "in_proj_bias")] = zeros(mapped[weight].shape[0], dtype: mapped[weight].dtype);
            }
        }

        return new HuggingFaceKeyMapping(mapped, mapping.Dropped, unmapped);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
