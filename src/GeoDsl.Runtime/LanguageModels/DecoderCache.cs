using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.LanguageModels;

/// <summary>
/// What a decoder keeps between generation steps, one slot per layer: attention layers keep their keys and values
/// [B, kv_heads, seen, head_dim]; Mamba-2 layers keep the last conv_kernel inputs of their causal convolution
/// [B, conv_dim, kernel] and their SSM state [B, heads, head_dim, state]. <see cref="Position"/> counts the tokens seen.
/// </summary>
public sealed class DecoderCache : IDisposable
{
    public DecoderCache(int layers)
    {
        Keys = new Tensor?[layers];
        Values = new Tensor?[layers];
        ConvolutionStates = new Tensor?[layers];
        SsmStates = new Tensor?[layers];
    }

    /// <summary>Tokens already processed; the position of the next token.</summary>
    public long Position { get; private set; }

    internal Tensor?[] Keys { get; }

    internal Tensor?[] Values { get; }

    internal Tensor?[] ConvolutionStates { get; }

    internal Tensor?[] SsmStates { get; }

    /// <summary>Appends a layer's new keys and values and returns all of them so far.</summary>
    internal (Tensor Keys, Tensor Values) AppendKeysValues(int layer, Tensor keys, Tensor values)
    {
        var allKeys = Keys[layer] is { } k ? torch.cat(new[] { k, keys }, dim: 2) : keys.alias();
        var allValues = Values[layer] is { } v ? torch.cat(new[] { v, values }, dim: 2) : values.alias();
        Replace(Keys, layer, allKeys);
        Replace(Values, layer, allValues);
        return (allKeys, allValues);
    }

    internal void SetMambaState(int layer, Tensor convolution, Tensor ssm)
    {
        Replace(ConvolutionStates, layer, convolution);
        Replace(SsmStates, layer, ssm);
    }

    /// <summary>Called by the model once every layer has seen <paramref name="tokens"/> more tokens.</summary>
    internal void Advance(long tokens) => Position += tokens;

    public void Dispose()
    {
        foreach (var slots in new[] { Keys, Values, ConvolutionStates, SsmStates })
        {
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i]?.Dispose();
                slots[i] = null;
            }
        }
    }

    // The cache owns its tensors: detached from any dispose scope of the step that made them.
    private static void Replace(Tensor?[] slots, int layer, Tensor value)
    {
        var old = slots[layer];
        slots[layer] = value.DetachFromDisposeScope();
        if (old is not null && !ReferenceEquals(old, value))
        {
            old.Dispose();
        }
    }
}
