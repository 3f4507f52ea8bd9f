using System;
using System.Collections.Generic;
using TorchSharp;

namespace GeoDsl.Runtime.Data;

/// <summary>
/// A batch of chips as tensors: images float32 [B, C, H, W] (or [B, C, T, H, W]) and masks int64 [B, H, W].
/// Dispose it (or use a TorchSharp dispose scope) to free the tensors' native memory promptly.
/// </summary>
public sealed class ChipBatch : IDisposable
{
    internal ChipBatch(torch.Tensor images, torch.Tensor masks, IReadOnlyList<ChipPair> chips)
    {
        Images = images;
        Masks = masks;
        Chips = chips;
    }

    public torch.Tensor Images { get; }

    public torch.Tensor Masks { get; }

    /// <summary>The chips in batch order, for tracing a prediction back to its files.</summary>
    public IReadOnlyList<ChipPair> Chips { get; }

    public int Count => Chips.Count;

    public void Dispose()
    {
        Images.Dispose();
        Masks.Dispose();
    }
}
