using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.HuggingFace;

/// <summary>
/// Hugging Face files as <c>save_pretrained</c> writes them, with transformers' field and key names (models/vit:
/// ViTConfig, ViTForImageClassification's <c>vit.</c> prefix, <c>pooler</c> and <c>classifier</c>), random values.
/// </summary>
internal static class HuggingFaceTestFiles
{
    public const int Width = 32;
    public const int Layers = 2;
    public const int Heads = 2;
    public const int Mlp = 64;
    public const int Patch = 8;
    public const int Image = 32;

    public static string TinyVitConfig(int channels = 3) => $$"""
        {
          "architectures": ["ViTForImageClassification"],
          "model_type": "vit",
          "hidden_size": {{Width}},
          "num_hidden_layers": {{Layers}},
          "num_attention_heads": {{Heads}},
          "intermediate_size": {{Mlp}},
          "hidden_act": "gelu",
          "hidden_dropout_prob": 0.0,
          "attention_probs_dropout_prob": 0.0,
          "layer_norm_eps": 1e-12,
          "image_size": {{Image}},
          "patch_size": {{Patch}},
          "num_channels": {{channels}},
          "qkv_bias": true,
          "torch_dtype": "float32",
          "transformers_version": "4.46.0"
        }
        """;

    /// <summary>Every tensor of a ViTForImageClassification with the tiny config, 5 classes.</summary>
    public static Dictionary<string, Tensor> TinyVitTensors(int channels = 3)
    {
        // Its own generator: tests in other classes draw from torch's global one concurrently, and every call must
        // give the same tensors (the tests compare what was written with what was loaded).
        var generator = new torch.Generator(11);
        Tensor Random(params long[] shape) => torch.randn(shape, generator: generator);
        int tokens = 1 + ((Image / Patch) * (Image / Patch));
        var t = new Dictionary<string, Tensor>
        {
            ["vit.embeddings.cls_token"] = Random(1, 1, Width),
            ["vit.embeddings.position_embeddings"] = Random(1, tokens, Width),
            ["vit.embeddings.patch_embeddings.projection.weight"] = Random(Width, channels, Patch, Patch),
            ["vit.embeddings.patch_embeddings.projection.bias"] = Random(Width),
            ["vit.layernorm.weight"] = Random(Width),
            ["vit.layernorm.bias"] = Random(Width),
            ["vit.pooler.dense.weight"] = Random(Width, Width),
            ["vit.pooler.dense.bias"] = Random(Width),
            ["classifier.weight"] = Random(5, Width),
            ["classifier.bias"] = Random(5),
        };
        for (int i = 0; i < Layers; i++)
        {
            string layer = $"vit.encoder.layer.{i}.";
            foreach (string linear in new[] { "attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense" })
            {
                t[layer + linear + ".weight"] = Random(Width, Width) * 0.2;
                t[layer + linear + ".bias"] = Random(Width) * 0.2;
            }

            t[layer + "intermediate.dense.weight"] = Random(Mlp, Width) * 0.2;
            t[layer + "intermediate.dense.bias"] = Random(Mlp);
            t[layer + "output.dense.weight"] = Random(Width, Mlp) * 0.2;
            t[layer + "output.dense.bias"] = Random(Width);
            foreach (string norm in new[] { "layernorm_before", "layernorm_after" })
            {
                t[layer + norm + ".weight"] = Random(Width);
                t[layer + norm + ".bias"] = Random(Width);
            }
        }

        return t;
    }

    /// <summary>Writes config.json and model.safetensors into <paramref name="folder"/>.</summary>
    public static void WriteTinyVit(string folder, int channels = 3, Action<Dictionary<string, Tensor>>? edit = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), TinyVitConfig(channels));
        var tensors = TinyVitTensors(channels);
        edit?.Invoke(tensors);
        SafetensorsFile.Write(Path.Combine(folder, "model.safetensors"), tensors);
    }

    /// <summary>The same tensors in two shards with a <c>model.safetensors.index.json</c> weight_map, as save_pretrained shards.</summary>
    public static void WriteTinyVitSharded(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), TinyVitConfig());
        var tensors = TinyVitTensors();
        var first = tensors.Where(p => !p.Key.Contains(".layer.1.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        var second = tensors.Where(p => p.Key.Contains(".layer.1.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        SafetensorsFile.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), first);
        SafetensorsFile.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), second);
        var map = first.Keys.Select(k => $"\"{k}\": \"model-00001-of-00002.safetensors\"")
            .Concat(second.Keys.Select(k => $"\"{k}\": \"model-00002-of-00002.safetensors\""));
        File.WriteAllText(Path.Combine(folder, SafetensorsIndex.DefaultFileName), "{ \"metadata\": {}, \"weight_map\": { " + string.Join(", ", map) + " } }");
    }
}
