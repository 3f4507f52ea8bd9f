using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>The tokens greedy decoding chose and the logits each choice was made from.</summary>
/// <param name="Tokens">[B, steps] chosen token ids.</param>
/// <param name="StepLogits">[B, steps, vocab]: the last position's logits before each choice.</param>
public sealed record GreedyResult(Tensor Tokens, Tensor StepLogits);

/// <summary>
/// Greedy decoding (argmax at every step) from a prompt given as embeddings, so a prompt with spliced image tokens
/// decodes like a text one. With a cache the prompt is run once and each new token costs one position; without one the
/// whole sequence is recomputed every step, the reference the cached path must reproduce.
/// </summary>
public static class GreedyDecoding
{
    public static GreedyResult Generate(ICausalLanguageModel model, Tensor promptEmbeddings, int steps, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Generate at least one token.");
        }

        using var noGrad = no_grad();
        using var cache = useCache ? model.NewCache() : null;
        var tokens = new List<Tensor>();
        var stepLogits = new List<Tensor>();
        var sequence = promptEmbeddings;
        var input = promptEmbeddings;
        for (var step = 0; step < steps; step++)
        {
            var logits = model.Logits(useCache ? input : sequence, cache);
            var last = logits[.., -1, ..];
            var next = last.argmax(-1, keepdim: true);
            tokens.Add(next);
            stepLogits.Add(last.unsqueeze(1));
            input = model.Embed(next);
            sequence = cat(new[] { sequence, input }, dim: 1);
        }

        return new GreedyResult(cat(tokens, dim: 1), cat(stepLogits, dim: 1));
    }
}

/// <summary>The causal language-modelling loss: position t predicts token t + 1 (transformers' shift), labels −100 ignored.</summary>
public static class NextTokenLoss
{
    public static Tensor Of(Tensor logits, Tensor labels)
    {
        var vocab = logits.shape[^1];
        var predicted = logits[.., ..^1, ..].reshape(-1, vocab);
        var targets = labels[.., 1..].reshape(-1);
        return nn.functional.cross_entropy(predicted, targets, ignore_index: -100);
    }
}
