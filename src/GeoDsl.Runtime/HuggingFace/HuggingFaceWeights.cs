using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.HuggingFace;

/// <summary>What loading a Hugging Face checkpoint did: the module load, and the Hugging Face keys left out and why.</summary>
public sealed record HuggingFaceLoadReport(LoadReport Load, IReadOnlyList<string> Dropped, IReadOnlyList<string> Unmapped)
{
    /// <summary>Every backbone tensor loaded and every checkpoint tensor accounted for (mapped or a dropped head).</summary>
    public bool IsComplete => Load.IsComplete && Unmapped.Count == 0;

    public override string ToString() =>
        $"{Load}\n{Dropped.Count} Hugging Face tensor(s) of parts a backbone does not have (dropped){(Dropped.Count > 0 ? ": " + string.Join(", ", Dropped) : string.Empty)}\n" +
        $"{Unmapped.Count} Hugging Face tensor(s) no rule maps{(Unmapped.Count > 0 ? ": " + string.Join(", ", Unmapped) : string.Empty)}";
}

/// <summary>A Hugging Face checkpoint that does not fit the backbone; the message lists what did not map.</summary>
public sealed class HuggingFaceWeightsException : Exception
{
    public HuggingFaceWeightsException(string message, HuggingFaceLoadReport? report = null) : base(message) => Report = report;

    public HuggingFaceLoadReport? Report { get; }
}

/// <summary>
/// Loads a Hugging Face checkpoint (a <c>model.safetensors</c>, a sharded <c>model.safetensors.index.json</c> with its
/// <c>weight_map</c>, or the folder holding either) into the catalog backbone its config maps to, renaming keys with the
/// architecture's rules. Strict by default: a tensor no rule maps, or a backbone tensor the file lacks, throws before
/// the module is touched, with the full report.
/// </summary>
public static class HuggingFaceWeights
{
    public static HuggingFaceLoadReport Load(nn.Module backbone, string checkpoint, HuggingFaceConfig config, bool strict = true)
    {
        var architecture = HuggingFaceArchitectures.For(config);
        var tensors = SafetensorsCheckpoint.Read(checkpoint);
        var mapping = architecture.MapKeys(config, tensors);
        string source = SafetensorsCheckpoint.Resolve(checkpoint);
        if (strict && mapping.Unmapped.Count > 0)
        {
            throw new HuggingFaceWeightsException(
                $"{source}: {mapping.Unmapped.Count} tensor(s) of this {config.ModelType} checkpoint match no key of the backbone: {string.Join(", ", mapping.Unmapped.Take(20))}" +
                (mapping.Unmapped.Count > 20 ? ", …" : string.Empty) + ". Check the config belongs to this checkpoint, or load with strict = false to see what did map.");
        }

        try
        {
            var load = StateDictLoader.Load(backbone, mapping.Mapped, new LoadOptions { Strict = strict }, source);
            return new HuggingFaceLoadReport(load, mapping.Dropped, mapping.Unmapped);
        }
        catch (StateDictMismatchException e)
        {
            throw new HuggingFaceWeightsException($"{source}: the renamed {config.ModelType} tensors do not fit the backbone:\n{e.Message}");
        }
    }
}
