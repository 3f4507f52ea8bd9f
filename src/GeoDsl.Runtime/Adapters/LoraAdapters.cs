using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Adapters;

/// <summary>
/// LoRA (Hu et al., 2021, as Hugging Face PEFT's <c>LoraConfig</c>) on the backbone's linear layers whose name is one
/// of the spec's target modules (<c>qkv</c>, <c>proj</c>, <c>fc1</c>, <c>fc2</c>): each adapted layer W gets A (r × d_in,
/// Kaiming-uniform as PEFT) and B (d_out × r, zeros), and its output becomes W·x + (alpha / r)·B·A·dropout(x). The
/// adapters hang on forward hooks, so the model's own state dict keeps TerraTorch's names; they are saved on their own
/// with PEFT's names (<c>base_model.model.&lt;layer&gt;.lora_A.weight</c>) and can be merged into W for inference.
/// </summary>
public sealed class LoraAdapters : nn.Module
{
    /// <summary>PEFT's prefix of adapter names in <c>adapter_model.safetensors</c>.</summary>
    public const string PeftPrefix = "base_model.model.";

    private readonly List<Adapter> adapters = new();
    private readonly Dropout? dropout;
    private bool merged;

    private LoraAdapters(string prefix, nn.Module backbone, LoraSpec spec)
        : base("lora")
    {
        Spec = spec;
        Scaling = spec.Alpha / spec.Rank;
        dropout = spec.Dropout > 0 ? nn.Dropout(spec.Dropout) : null;
        var layers = backbone.named_modules()
            .Where(m => m.module is Linear && spec.Targets(m.name.Split('.')[^1]))
            .Select(m => (m.name, (Linear)m.module))
            .ToList();
        if (layers.Count == 0)
        {
            throw new ArgumentException(
                $"peft_config targets {string.Join(", ", spec.TargetModules)}, but the backbone has no linear layer with one of those names; " +
                "LoRA applies to transformer backbones (qkv, proj, fc1, fc2).");
        }

        var parameters = new List<(string, Parameter)>();
        foreach (var (name, layer) in layers)
        {
            long outFeatures = layer.weight!.shape[0], inFeatures = layer.weight.shape[1];
            var a = new Parameter(empty(spec.Rank, inFeatures, dtype: layer.weight.dtype, device: layer.weight.device));
            nn.init.kaiming_uniform_(a, a: Math.Sqrt(5));
            var b = new Parameter(zeros(outFeatures, spec.Rank, dtype: layer.weight.dtype, device: layer.weight.device));
            string path = prefix + name;
            var adapter = new Adapter(path, layer, a, b);
            var hook = layer.register_forward_hook((_, input, output) => merged ? output : output + Update(adapter, input));
            adapter.RemoveHook = hook.remove;
            adapters.Add(adapter);
            parameters.Add((Key(path, "lora_A"), a));
            parameters.Add((Key(path, "lora_B"), b));
        }

        foreach (var (key, parameter) in parameters)
        {
            // Module names cannot hold dots; the PEFT key is kept for files.
            register_parameter(key.Replace('.', '_'), parameter);
        }
    }

    public LoraSpec Spec { get; }

    /// <summary>alpha / r.</summary>
    public double Scaling { get; }

    /// <summary>The adapted layers' paths in the model, e.g. <c>encoder.blocks.0.attn.qkv</c>.</summary>
    public IReadOnlyList<string> AdaptedLayers => adapters.Select(a => a.Path).ToList();

    /// <summary>Adds adapters to <paramref name="backbone"/>'s target layers; <paramref name="prefix"/> is the backbone's path in the model (<c>encoder.</c>).</summary>
    public static LoraAdapters Attach(nn.Module backbone, LoraSpec spec, string prefix = "encoder.")
    {
        if (spec.Quantized)
        {
            throw new NotSupportedException(
                "peft_config = qlora stores the backbone in 4-bit NF4 with bitsandbytes' CUDA kernels, which TorchSharp does not have. " +
                "Use peft_config = lora { … } (same adapters on a full-precision backbone).");
        }

        return new LoraAdapters(prefix, backbone, spec);
    }

    /// <summary>The adapters by PEFT name (A and B of every adapted layer).</summary>
    public Dictionary<string, Tensor> AdapterTensors() =>
        adapters.SelectMany(a => new[] { (Key(a.Path, "lora_A"), (Tensor)a.A), (Key(a.Path, "lora_B"), (Tensor)a.B) }).ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>Writes the adapters alone (a few MB for a 300M backbone) as safetensors with PEFT's names, r and alpha in the metadata.</summary>
    public void Save(string path) => SafetensorsFile.Write(path, AdapterTensors(), new Dictionary<string, string>
    {
        ["r"] = Spec.Rank.ToString(CultureInfo.InvariantCulture),
        ["lora_alpha"] = Spec.Alpha.ToString("R", CultureInfo.InvariantCulture),
        ["target_modules"] = string.Join(",", Spec.TargetModules),
    });

    /// <summary>Loads adapters <see cref="Save"/> wrote for the same layers and rank; names the file and the first tensor that does not fit.</summary>
    public void Load(string path)
    {
        var tensors = SafetensorsFile.Read(path);
        foreach (var (key, own) in AdapterTensors())
        {
            if (!tensors.TryGetValue(key, out var stored))
            {
                throw new ArgumentException($"{path}: no tensor '{key}'; the file was saved for other layers or target modules than {string.Join(", ", Spec.TargetModules)}.");
            }

            if (!stored.shape.SequenceEqual(own.shape))
            {
                throw new ArgumentException(
                    $"{path}: '{key}' is [{string.Join(", ", stored.shape)}] but this model's adapter is [{string.Join(", ", own.shape)}]; the file was saved with another rank r.");
            }

            using var noGrad = no_grad();
            own.copy_(stored);
        }
    }

    /// <summary>
    /// Adds (alpha / r)·B·A into each adapted layer's weight and stops applying the adapters, so the model runs as fast
    /// as without LoRA and its state dict alone carries the fine-tuning.
    /// </summary>
    public void Merge()
    {
        if (merged)
        {
            return;
        }

        using var noGrad = no_grad();
        foreach (var adapter in adapters)
        {
            adapter.Layer.weight!.add_(adapter.B.matmul(adapter.A), alpha: Scaling);
        }

        merged = true;
    }

    /// <summary>Removes the hooks: the model runs as without adapters (merged weights stay merged).</summary>
    public void Detach()
    {
        foreach (var adapter in adapters)
        {
            adapter.RemoveHook?.Invoke();
        }
    }

    private static string Key(string path, string matrix) => $"{PeftPrefix}{path}.{matrix}.weight";

    private Tensor Update(Adapter adapter, Tensor input)
    {
        var x = dropout is null ? input : dropout.call(input);
        return nn.functional.linear(nn.functional.linear(x, adapter.A), adapter.B) * Scaling;
    }

    private sealed class Adapter
    {
        public Adapter(string path, Linear layer, Parameter a, Parameter b)
        {
            Path = path;
            Layer = layer;
            A = a;
            B = b;
        }

        public string Path { get; }

        public Linear Layer { get; }

        public Parameter A { get; }

        public Parameter B { get; }

        public Action? RemoveHook { get; set; }
    }
}
