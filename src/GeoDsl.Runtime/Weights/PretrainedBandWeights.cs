using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>How a band the checkpoint was not trained on starts.</summary>
public enum NewBandInitialization
{
    /// <summary>
    /// The mean of the pretrained channels' weights: the new band starts as an "average band", at the scale the rest
    /// of the network expects. GeoDsl's default.
    /// </summary>
    MeanOfPretrained,

    /// <summary>The module's own random initialisation, as TerraTorch's <c>select_patch_embed_weights</c> leaves it.</summary>
    KeepRandom,

    /// <summary>Zeros: the band contributes nothing until training moves it.</summary>
    Zeros,
}

/// <summary>
/// Re-selects the input-channel axis of a pretrained first layer (a patch embedding or stem convolution) for a model
/// whose bands are a subset, a re-ordering or an extension of the pretrained ones: every band the checkpoint knows
/// takes its channel; a new band is initialised as <see cref="NewBandInitialization"/> says.
/// </summary>
public static class PretrainedBandWeights
{
    /// <param name="pretrained">The checkpoint's weight, input channels on <paramref name="channelAxis"/>.</param>
    /// <param name="own">The model's weight of the same layer (its shape is the result's).</param>
    /// <param name="sourceName">The checkpoint, for messages.</param>
    /// <param name="layerName">The layer's state-dict key, for messages.</param>
    public static Tensor Reselect(Tensor pretrained, Tensor own, IReadOnlyList<string> modelBands, IReadOnlyList<string> pretrainedBands,
        string sourceName, string layerName, NewBandInitialization newBands = NewBandInitialization.MeanOfPretrained, int channelAxis = 1)
    {
        if (pretrained.shape[channelAxis] != pretrainedBands.Count)
        {
            throw new ArgumentException(
                $"'{sourceName}': {layerName} has {pretrained.shape[channelAxis]} input channels but {pretrainedBands.Count} pretrained bands were named " +
                $"({string.Join(", ", pretrainedBands)}); pass the checkpoint's bands.");
        }

        if (own.shape[channelAxis] != modelBands.Count)
        {
            throw new ArgumentException($"{layerName} of the model has {own.shape[channelAxis]} input channels for {modelBands.Count} bands.");
        }

        bool sameOtherAxes = pretrained.dim() == own.dim()
            && Enumerable.Range(0, (int)own.dim()).Where(axis => axis != channelAxis).All(axis => pretrained.shape[axis] == own.shape[axis]);
        if (!sameOtherAxes)
        {
            return pretrained; // Another width or kernel: the strict loader reports the mismatch by name.
        }

        using (no_grad())
        {
            var result = own.detach().clone();
            var mean = pretrained.mean(new long[] { channelAxis }, keepdim: false);
            for (int channel = 0; channel < modelBands.Count; channel++)
            {
                int from = IndexOf(pretrainedBands, modelBands[channel]);
                var target = result.select(channelAxis, channel);
                if (from >= 0)
                {
                    target.copy_(pretrained.select(channelAxis, from));
                }
                else if (newBands == NewBandInitialization.MeanOfPretrained)
                {
                    target.copy_(mean);
                }
                else if (newBands == NewBandInitialization.Zeros)
                {
                    target.zero_();
                }
            }

            return result;
        }
    }

    private static int IndexOf(IReadOnlyList<string> bands, string band)
    {
        for (int i = 0; i < bands.Count; i++)
        {
            if (string.Equals(bands[i], band, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
