using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones;

/// <summary>
/// Runs a single-image backbone on each frame of [B, C, T, H, W] and pools its features over time, as TerraTorch's
/// <c>TemporalWrapper</c> (terratorch/models/utils.py): mean, max, diff (frame 0 − frame 1) or concat. Concat stacks
/// frames into channels the way TerraTorch reshapes them — channel c of frame t becomes channel c·T + t of a map,
/// and token widths become T·D with frame-major order — except for channel-last maps, where TerraTorch's reshape mixes
/// rows with frames; here the frames go into the channel axis as for channel-first maps. The wrapped backbone is the
/// child <c>encoder</c>, so its state-dict keys gain the prefix <c>encoder.</c> as in TerraTorch.
/// </summary>
public sealed class TemporalWrapper<TOut> : Backbone<TOut>, ITemporalWrapper where TOut : FeatureSet
{
    private readonly Backbone<TOut> encoder;

    public TemporalWrapper(Backbone<TOut> encoder, string pooling, int frames) : base("TemporalWrapper")
    {
        if (pooling is not ("mean" or "max" or "diff" or "concat"))
        {
            throw new ArgumentException($"TemporalWrapper pools with mean, max, diff or concat, not '{pooling}'.", nameof(pooling));
        }

        if (pooling == "diff" && frames != 2)
        {
            throw new ArgumentException($"TemporalWrapper 'diff' subtracts frame 1 from frame 0, so it needs 2 frames, not {frames}.", nameof(frames));
        }

        this.encoder = encoder;
        Pooling = pooling;
        Frames = frames;
        RegisterComponents();
    }

    public string Pooling { get; }

    public int Frames { get; }

    /// <summary>The single-image backbone that runs on each frame.</summary>
    public Backbone<TOut> Encoder => encoder;

    nn.Module ITemporalWrapper.FrameEncoder => encoder;

    public override TOut forward(BackboneInput input)
    {
        var pixels = input.Pixels.dim() == 4 && Frames == 1 ? input.Pixels.unsqueeze(2) : input.Pixels;
        if (pixels.dim() != 5 || pixels.shape[2] != Frames)
        {
            throw new ArgumentException(
                $"TemporalWrapper over {encoder.GetName()} expects [B, C, {Frames}, H, W]; got [{string.Join(", ", pixels.shape)}].", nameof(input));
        }

        long batch = pixels.shape[0];

        // Frames join the batch, so the backbone runs once on B·T images.
        var folded = pixels.permute(0, 2, 1, 3, 4).reshape(batch * Frames, pixels.shape[1], pixels.shape[3], pixels.shape[4]);
        var perFrame = encoder.call(new BackboneInput(folded, null, input.LocationCoords is null ? null : input.LocationCoords.repeat_interleave(Frames, dim: 0)));
        var pooled = perFrame.Tensors.Select(feature => Pool(feature.reshape(Prepend(batch, Frames, feature.shape.Skip(1))), perFrame)).ToList();
        return Rebuild(perFrame, pooled);
    }

    /// <summary>Pools one feature [B, T, …] over T.</summary>
    private Tensor Pool(Tensor stacked, TOut kind)
    {
        switch (Pooling)
        {
            case "mean":
                return stacked.mean(new long[] { 1 });
            case "max":
                return stacked.max(1).values;
            case "diff":
                return stacked.select(1, 0) - stacked.select(1, 1);
        }

        var shape = stacked.shape;
        return kind switch
        {
            // [B, T, C, H, W] → [B, C, T, H, W] → [B, C·T, H, W]
            MapFeatures => stacked.permute(0, 2, 1, 3, 4).reshape(shape[0], shape[2] * shape[1], shape[3], shape[4]),

            // [B, T, H, W, C] → [B, H, W, C, T] → [B, H, W, C·T]
            ChannelLastMapFeatures => stacked.permute(0, 2, 3, 4, 1).reshape(shape[0], shape[2], shape[3], shape[4] * shape[1]),

            // [B, T, N, D] → [B, N, T, D] → [B, N, T·D]
            TokenFeatures => stacked.permute(0, 2, 1, 3).reshape(shape[0], shape[2], shape[1] * shape[3]),

            // [B, T, D] → [B, D, T] → [B, D·T]
            _ => stacked.permute(0, 2, 1).reshape(shape[0], shape[2] * shape[1]),
        };
    }

    private static TOut Rebuild(TOut template, IReadOnlyList<Tensor> tensors) => template switch
    {
        TokenFeatures tokens => (TOut)(FeatureSet)tokens.With(tensors),
        MapFeatures => (TOut)(FeatureSet)new MapFeatures(tensors),
        ChannelLastMapFeatures => (TOut)(FeatureSet)new ChannelLastMapFeatures(tensors),
        _ => (TOut)(FeatureSet)new PooledFeatures(tensors),
    };

    private static long[] Prepend(long batch, long frames, IEnumerable<long> rest) => new[] { batch, frames }.Concat(rest).ToArray();
}

/// <summary>A <see cref="TemporalWrapper{TOut}"/> whatever its feature type: the backbone it runs per frame.</summary>
public interface ITemporalWrapper
{
    nn.Module FrameEncoder { get; }
}

/// <summary>Wraps a backbone module built for one frame, whatever its feature type.</summary>
public static class TemporalWrapping
{
    public static nn.Module Wrap(nn.Module backbone, string pooling, int frames)
    {
        var output = BackboneOutputType(backbone.GetType())
            ?? throw new ArgumentException($"{backbone.GetType().Name} is not a Backbone<T>; it cannot be wrapped for frames.", nameof(backbone));
        var wrapper = typeof(TemporalWrapper<>).MakeGenericType(output);
        return (nn.Module)Activator.CreateInstance(wrapper, backbone, pooling, frames)!;
    }

    private static Type? BackboneOutputType(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Backbone<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
