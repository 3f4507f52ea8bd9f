using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Features;

/// <summary>What a backbone receives: pixels [B, C, T, H, W] (or [B, C, H, W]) plus optional metadata.</summary>
public sealed class BackboneInput
{
    public BackboneInput(Tensor pixels, Tensor? temporalCoords = null, Tensor? locationCoords = null)
    {
        Pixels = pixels;
        TemporalCoords = temporalCoords;
        LocationCoords = locationCoords;
    }

    public Tensor Pixels { get; }

    /// <summary>[B, T, 2]: (year, day of year) per frame, for time-aware backbones.</summary>
    public Tensor? TemporalCoords { get; }

    /// <summary>[B, 2]: (latitude, longitude), for location-aware backbones.</summary>
    public Tensor? LocationCoords { get; }
}

/// <summary>A backbone seen without its output type, for compositions built from a spec at run time.</summary>
public interface IBackbone
{
    FeatureSet Encode(BackboneInput input);
}

/// <summary>A neck seen without its feature types, for compositions built from a spec at run time.</summary>
public interface INeck
{
    FeatureSet Apply(FeatureSet input, (long Height, long Width) imageSize);
}

/// <summary>A backbone: pixels in, features of kind <typeparamref name="TOut"/> out.</summary>
public abstract class Backbone<TOut> : nn.Module<BackboneInput, TOut>, IBackbone where TOut : FeatureSet
{
    protected Backbone(string name) : base(name)
    {
    }

    FeatureSet IBackbone.Encode(BackboneInput input) => call(input);
}

/// <summary>A neck: reshapes or selects features between the backbone and the decoder.</summary>
public abstract class Neck<TIn, TOut> : nn.Module<TIn, TOut>, INeck where TIn : FeatureSet where TOut : FeatureSet
{
    protected Neck(string name) : base(name)
    {
    }

    /// <summary>The padded image size (height, width) the features came from; set before each forward pass.</summary>
    public (long Height, long Width) ImageSize { get; set; }

    FeatureSet INeck.Apply(FeatureSet input, (long Height, long Width) imageSize)
    {
        if (input is not TIn typed)
        {
            throw new System.ArgumentException(
                $"{GetName()} takes {typeof(TIn).Name} but received {input.GetType().Name} ({input.DescribeShapes()}).", nameof(input));
        }

        ImageSize = imageSize;
        return call(typed);
    }
}

/// <summary>A decoder: channel-first maps in, one channel-first map [B, C, H, W] out.</summary>
public abstract class Decoder : nn.Module<MapFeatures, Tensor>
{
    protected Decoder(string name) : base(name)
    {
    }

    public abstract int OutChannels { get; }

    /// <summary>True when the decoder's output already is the prediction (no separate head).</summary>
    public virtual bool IncludesHead => false;
}

/// <summary>A head: decoder output [B, C, H, W] in, predictions out.</summary>
public abstract class Head : nn.Module<Tensor, Tensor>
{
    protected Head(string name) : base(name)
    {
    }
}
