using System;
using GeoDsl.Composition.Catalog.LanguageModels;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>Builds the runtime decoder a catalog language model's block style calls for.</summary>
public static class CausalLanguageModels
{
    public static ICausalLanguageModel Create(LanguageModelConfig config, bool? tiedEmbeddings = null, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Style switch
        {
            DecoderBlockStyle.PreNorm => new Qwen2ForCausalLM(config, tiedEmbeddings, device: device, dtype: dtype),
            _ => throw new NotSupportedException(
                $"Language model `{config.Name}` has {config.Style} blocks, which have no runtime implementation yet; "
                + "the runtime builds pre-norm (Qwen2/Qwen2.5-shaped) decoders."),
        };
    }
}
