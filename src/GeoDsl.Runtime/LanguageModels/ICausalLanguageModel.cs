using GeoDsl.Composition.Catalog.LanguageModels;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// A decoder-only language model split where a vision-language model needs it: token ids → embeddings, and
/// embeddings (text and spliced image tokens alike) → next-token logits, optionally continuing from a cache.
/// </summary>
public interface ICausalLanguageModel
{
    /// <summary>The catalog entry the model was built from.</summary>
    LanguageModelConfig Config { get; }

    /// <summary>[B, N] token ids → [B, N, hidden].</summary>
    Tensor Embed(Tensor inputIds);

    /// <summary>[B, N, hidden] → [B, N, vocab]; with a cache the tokens continue the cached sequence and are appended to it.</summary>
    Tensor Logits(Tensor embeddings, DecoderCache? cache = null);

    /// <summary>An empty cache with a slot per layer.</summary>
    DecoderCache NewCache();
}
