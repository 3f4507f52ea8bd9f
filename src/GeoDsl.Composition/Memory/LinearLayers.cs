using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Identical linear layers a backbone repeats (one per block): their role, shape and count. LoRA adapts the roles
/// <c>target_modules</c> names; QLoRA stores every linear weight in 4 bits.
/// </summary>
/// <param name="Module">The role: qkv, proj, fc1, fc2 (timm's names), or another name for layers LoRA cannot target.</param>
/// <param name="Count">How many such layers the backbone has (e.g. its depth).</param>
public sealed record LinearLayerGroup(string Module, long InFeatures, long OutFeatures, long Count)
{
    /// <summary>Weight elements (biases excluded: bitsandbytes keeps them in 16/32 bits).</summary>
    public long WeightParameters => InFeatures * OutFeatures * Count;

    /// <summary>PEFT LoRA: A is r × d_in and B is d_out × r, without bias (memory-facts.md §1.6: r·(d_in + d_out) per matrix).</summary>
    public long AdapterParameters(int rank) => rank * (InFeatures + OutFeatures) * Count;

    /// <summary>The four linear layers of <paramref name="depth"/> timm/ViT blocks of width D and MLP width H.</summary>
    public static IReadOnlyList<LinearLayerGroup> TransformerBlocks(long width, long mlpHidden, long depth) => new[]
    {
        new LinearLayerGroup("qkv", width, 3 * width, depth),
        new LinearLayerGroup("proj", width, width, depth),
        new LinearLayerGroup("fc1", width, mlpHidden, depth),
        new LinearLayerGroup("fc2", mlpHidden, width, depth),
    };
}

/// <summary>
/// A backbone that lists its linear layers, so <c>peft_config</c> can be checked against them and LoRA/QLoRA memory
/// counted from them. Backbones without it cannot take <c>peft_config</c> (GEO3002 says so).
/// </summary>
public interface ILinearLayers
{
    IReadOnlyList<LinearLayerGroup> LinearLayers(InputSpec input, ArgumentList args);
}

/// <summary>What LoRA or QLoRA adds to and takes from a backbone of <paramref name="BackboneParameters"/> parameters.</summary>
/// <param name="AdapterParameters">Trainable adapter parameters (they add to the model's total).</param>
/// <param name="QuantizedParameters">Linear weights stored in 4 bits (QLoRA); 0 for LoRA.</param>
/// <param name="LargestQuantizedWeight">The largest 4-bit weight, dequantised whole for each matmul.</param>
public sealed record LoraFootprint(long BackboneParameters, long AdapterParameters, long QuantizedParameters, long LargestQuantizedWeight)
{
    /// <summary>
    /// Bytes per 4-bit weight. NF4/FP4 store 4 bits per weight plus an fp32 absmax per block of 64 (4.5 bits); double
    /// quantisation stores those constants in 8 bits with one fp32 scale per 256 blocks: 4 + 8/64 + 32/(64·256) ≈ 4.127
    /// bits ≈ 0.516 bytes (QLoRA, arXiv:2305.14314 §3; memory-facts.md §1.6).
    /// </summary>
    public static double QuantizedBytesPerParameter(bool doubleQuant) =>
        doubleQuant ? (4 + (8.0 / 64) + (32.0 / (64 * 256))) / 8 : (4 + (32.0 / 64)) / 8;

    public static LoraFootprint Of(LoraSpec lora, long backboneParameters, IReadOnlyList<LinearLayerGroup> layers)
    {
        long adapters = layers.Where(g => lora.Targets(g.Module)).Sum(g => g.AdapterParameters(lora.Rank));
        long quantized = lora.Quantized ? layers.Sum(g => g.WeightParameters) : 0;
        long largest = lora.Quantized && layers.Count > 0 ? layers.Max(g => g.InFeatures * g.OutFeatures) : 0;
        return new LoraFootprint(backboneParameters, adapters, quantized, largest);
    }
}
