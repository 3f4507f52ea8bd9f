using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Catalog.VisionTowers;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Vlm;

namespace GeoDsl.Composition.Memory;

/// <summary>
/// Training and inference memory of a vision-language (or text-only) model on one GPU, by the same method as
/// <see cref="MemoryEstimator"/> (memory-facts.md §0): model states per part and mode, saved activations of the parts the
/// backward pass runs through, the vocabulary logits, and the larger of the forward working set and the optimizer step.
/// <list type="bullet">
/// <item>Weights: each part at the training precision; under QLoRA its linear weights in 4 bits (NF4, ≈0.516 B with double
/// quantisation) and everything else (embeddings, output head, norms) in 16 bits (memory-facts.md §1.6); LoRA adapters
/// r·(in + out) per adapted linear layer.</item>
/// <item>Gradients and optimizer states for what trains: a full part's weights, or its adapters.</item>
/// <item>Activations: the backward pass runs through every part at or after the first that trains (the language model
/// carries the gradient back to the visual tokens even when frozen); <see cref="LlmActivations"/> for the language model,
/// <see cref="TransformerActivations"/> for a ViT tower over every tile, the backbone's own rule for a catalog backbone.</item>
/// <item>Logits: s × vocab in the compute precision, their fp32 upcast and the loss's fp32 log-softmax (HF's causal-LM loss;
/// memory-facts.md §1.4: "b·s·V·4 B × 2–3").</item>
/// </list>
/// Inference keeps the weights, a KV cache for the whole context and one block's working set.
/// </summary>
public static class LlmMemoryEstimator
{
    public static (ParameterSummary Parameters, MemoryEstimate Memory) Estimate(VlmSpec spec, VlmParts parts)
    {
        var train = spec.Train;
        var precision = train.Precision;
        int batch = train.BatchSize;
        long s = spec.ContextLength;
        var lm = parts.LanguageModel;
        int tiles = spec.Vision is null ? 0 : spec.Images.TilesPerImage * spec.Images.ImagesPerSample;

        var visionMode = train.VisionTraining;
        var projectorMode = train.ProjectorTraining;
        var lmMode = train.LanguageModelTraining;

        // Linear weights and adapters per part.
        var visionLinears = parts.Vision?.Linears ?? Array.Empty<(string, long, long, int)>();
        long visionLinear = visionLinears.Sum(l => l.In * l.Out * l.Count);
        long visionAdapters = Adapters(visionMode, visionLinears);
        var lmLinears = lm.AttentionLinears.Select(l => (l.Module, l.In, l.Out, lm.Hybrid?.AttentionLayers ?? lm.Layers))
            .Concat(lm.MlpLinears.Select(l => (l.Module, l.In, l.Out, lm.Layers))).ToList();
        long lmAdapters = Adapters(lmMode, lmLinears);

        double weightBytes = ModelStates.WeightBytes(precision);
        double weights = PartWeights(parts.VisionParameters, visionLinear, visionMode, weightBytes)
            + PartWeights(parts.ProjectorParameters, 0, projectorMode, weightBytes)
            + PartWeights(parts.LanguageModelParameters.Total, parts.LanguageModelParameters.Linear, lmMode, weightBytes)
            + ((visionAdapters + lmAdapters) * weightBytes);

        long trainable = Trainable(parts.VisionParameters, visionMode, visionAdapters) + Trainable(parts.ProjectorParameters, projectorMode, 0)
            + Trainable(parts.LanguageModelParameters.Total, lmMode, lmAdapters);
        long total = parts.Total + visionAdapters + lmAdapters;
        long gradients = trainable * ModelStates.GradientBytes(precision);
        long optimizer = (long)(trainable * ModelStates.OptimizerStateBytes(train.Optimizer, precision));
        long optimizerStep = (long)(trainable * ModelStates.OptimizerStepBytes(train.Optimizer, precision));

        // The backward pass runs from the loss back to the first part that trains.
        bool visionFlows = visionMode.Trains;
        bool projectorFlows = visionFlows || projectorMode.Trains;
        bool lmFlows = projectorFlows || lmMode.Trains;
        long casts = ModelStates.WeightCastBytes(precision) * ((visionFlows ? parts.VisionParameters : 0) + (projectorFlows ? parts.ProjectorParameters : 0) + (lmFlows ? parts.LanguageModelParameters.Total : 0));

        bool fused = train.Attention == AttentionImplementation.Fused;
        var lmSettings = ActivationSettings.For(precision, lmFlows, train.GradientCheckpointing, fused) with { TrainsWeights = lmMode.Mode == PartMode.Full, Adapters = lmMode.Lora };
        var language = LlmActivations.Stack(lm, s, lmSettings);
        var visionActivations = parts.Vision is { } vision
            ? VisionActivations(vision, ActivationSettings.For(precision, visionFlows, train.GradientCheckpointing, fused) with { TrainsWeights = visionMode.Mode == PartMode.Full, Adapters = visionMode.Lora })
            : ActivationEstimate.None;
        long projectorSaved = parts.Projector is { } p && projectorFlows
            ? (long)tiles * p.TokensPerTile * (p.InFeatures + (2 * p.OutFeatures)) * ActivationSettings.For(precision, true, false).ComputeBytes
            : 0;
        long computeBytes = ActivationSettings.For(precision, true, false).ComputeBytes;
        long logits = lmFlows || trainable > 0 ? s * lm.Vocab * (computeBytes + 4 + 4) : 0;

        long saved = batch * (language.SavedBytes + (tiles * visionActivations.SavedBytes) + projectorSaved);
        long workspace = batch * Math.Max(language.TransientBytes, tiles * visionActivations.TransientBytes);
        long dequantized = 2 * Math.Max(lmMode.Mode == PartMode.QLora ? lmLinears.Max(l => l.In * l.Out) : 0,
            visionMode.Mode == PartMode.QLora && visionLinears.Count > 0 ? visionLinears.Max(l => l.In * l.Out) : 0);
        long inputs = batch * ((s * 16) + ((long)tiles * 3 * spec.Images.TileSize * spec.Images.TileSize * computeBytes));
        bool logitsPeak = batch * logits >= Math.Max(workspace, dequantized);
        long backwardStart = saved + Math.Max(batch * logits, Math.Max(workspace, dequantized));

        var states = new[]
        {
            new MemoryItem("weights", (long)weights),
            new MemoryItem("weight casts", casts),
            new MemoryItem("gradients", gradients),
            new MemoryItem("optimizer states", optimizer),
            new MemoryItem("input batch", inputs),
        };
        var moment = backwardStart >= optimizerStep
            ? new[]
            {
                new MemoryItem("activations", saved),
                new MemoryItem("logits and loss", logitsPeak ? batch * logits : 0),
                new MemoryItem("workspace", logitsPeak ? 0 : Math.Max(workspace, dequantized)),
            }
            : new[] { new MemoryItem("optimizer step", optimizerStep) };
        var training = states.Concat(moment).ToArray();
        long trainingPeak = training.Sum(i => i.Bytes);

        // Inference: the weights, a KV cache over the whole context (keys and values of every attention block), the vision
        // tower's working set over the tiles, and one block's working set.
        int attentionLayers = lm.Hybrid?.AttentionLayers ?? lm.Layers;
        long kvCache = batch * 2L * attentionLayers * lm.KvHeads * lm.HeadDim * s * computeBytes;
        var inferenceVision = parts.Vision is { } v ? VisionActivations(v, ActivationSettings.For(precision, false, false, fused)) : ActivationEstimate.None;
        var inferenceLanguage = LlmActivations.Block(lm, s, ActivationSettings.For(precision, false, false, fused));
        var inference = new[]
        {
            new MemoryItem("weights", (long)weights),
            new MemoryItem("input batch", inputs),
            new MemoryItem("KV cache", kvCache),
            new MemoryItem("workspace", batch * Math.Max(Math.Max(inferenceLanguage.TransientBytes, tiles * inferenceVision.TransientBytes), dequantized)),
        };
        long inferencePeak = inference.Sum(i => i.Bytes);

        var target = spec.Target;
        var memory = new MemoryEstimate(target.Gpu, target.DisplayName, target.MemoryBytes, trainingPeak, MemoryEstimator.DeviceTotal(trainingPeak),
            inferencePeak, MemoryEstimator.DeviceTotal(inferencePeak), training.ToEquatableArray(), inference.ToEquatableArray());
        return (new ParameterSummary(total, trainable), memory);
    }

    /// <summary>One tile through the vision encoder: a tower's blocks, or the catalog backbone's own rule.</summary>
    private static ActivationEstimate VisionActivations(VisionPart vision, ActivationSettings settings)
    {
        if (vision.Backbone is { } backbone)
        {
            return backbone.EstimateActivations(vision.BackboneInput!, vision.BackboneArgs, vision.BackboneOutput!, settings);
        }

        var block = TransformerActivations.Block(vision.Tokens, vision.Width, vision.Heads, vision.MlpHidden, settings);
        if (settings.Training && settings.GradientCheckpointing)
        {
            var checkpointed = TransformerActivations.Checkpointed(vision.Tokens, vision.Width, block, settings);
            return new ActivationEstimate(checkpointed.SavedBytes * vision.Layers, checkpointed.TransientBytes);
        }

        return new ActivationEstimate(block.SavedBytes * vision.Layers, block.TransientBytes);
    }

    private static long Adapters(PartTraining mode, IEnumerable<(string Module, long In, long Out, int Count)> linears) =>
        mode.Lora is { } lora ? linears.Where(l => lora.Targets(l.Module)).Sum(l => lora.Rank * (l.In + l.Out) * l.Count) : 0;

    /// <summary>A part's stored weights: at the training precision, or under QLoRA its linear weights in 4 bits and the rest in 16.</summary>
    private static double PartWeights(long parameters, long linear, PartTraining mode, double weightBytes) =>
        mode.Mode == PartMode.QLora
            ? (linear * LoraFootprint.QuantizedBytesPerParameter(mode.Lora!.DoubleQuant)) + ((parameters - linear) * 2.0)
            : parameters * weightBytes;

    private static long Trainable(long parameters, PartTraining mode, long adapters) => mode.Mode switch
    {
        PartMode.Full => parameters,
        PartMode.Lora or PartMode.QLora => adapters,
        _ => 0,
    };
}
