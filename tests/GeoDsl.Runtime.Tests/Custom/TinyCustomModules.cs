using GeoDsl.Runtime.Composition;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Custom;

/// <summary>A two-stage convolutional encoder: 4×4 stride-4 stem to 16 channels, then 2×2 stride-2 to 32 (the declaration says so).</summary>
[GeoCustomBackbone("tiny_conv_encoder", InChannels = 6, Output = FeatureKinds.Maps, Channels = new[] { 16, 32 }, Strides = new[] { 4, 8 },
    Parameters = (6 * 16 * 16) + 16 + (16 * 32 * 4) + 32)]
public sealed class TinyConvEncoder : Backbone<MapFeatures>
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> down;

    public TinyConvEncoder(ComponentBuild build)
        : this(build.Model.Input.Channels, secondWidth: 32)
    {
    }

    internal TinyConvEncoder(int inChannels, int secondWidth)
        : base(nameof(TinyConvEncoder))
    {
        stem = nn.Conv2d(inChannels, 16, 4, stride: 4);
        down = nn.Conv2d(16, secondWidth, 2, stride: 2);
        RegisterComponents();
    }

    public override MapFeatures forward(BackboneInput input)
    {
        var first = nn.functional.relu(stem.call(input.Pixels));
        return new MapFeatures(first, nn.functional.relu(down.call(first)));
    }
}

/// <summary>Declares 64 channels for its second map but builds 32: its contract lies.</summary>
[GeoCustomBackbone("lying_conv_encoder", InChannels = 6, Output = FeatureKinds.Maps, Channels = new[] { 16, 64 }, Strides = new[] { 4, 8 })]
public sealed class LyingConvEncoder : Backbone<MapFeatures>
{
    private readonly TinyConvEncoder inner = new(6, secondWidth: 32);

    public LyingConvEncoder()
        : base(nameof(LyingConvEncoder)) => RegisterComponents();

    public override MapFeatures forward(BackboneInput input) => inner.call(input);
}

/// <summary>Declares channels for 2 outputs and strides for 3, and a stride of 6: rejected before use.</summary>
[GeoCustomBackbone("inconsistent_encoder", Output = FeatureKinds.Maps, Channels = new[] { 16, 32 }, Strides = new[] { 4, 6, 16 })]
public sealed class InconsistentEncoder : Backbone<MapFeatures>
{
    public InconsistentEncoder()
        : base(nameof(InconsistentEncoder))
    {
    }

    public override MapFeatures forward(BackboneInput input) => throw new InvalidOperationException("never built");
}

/// <summary>A decoder that upsamples the coarse map ×2, adds the fine one and mixes to 24 channels.</summary>
[GeoCustomDecoder("tiny_fuse_decoder", InputChannels = new[] { 16, 32 }, Channels = new[] { 24 })]
public sealed class TinyFuseDecoder : Decoder
{
    private readonly nn.Module<Tensor, Tensor> lateral = nn.Conv2d(32, 16, 1);
    private readonly nn.Module<Tensor, Tensor> mix = nn.Conv2d(16, 24, 3, padding: 1);

    public TinyFuseDecoder()
        : base(nameof(TinyFuseDecoder)) => RegisterComponents();

    public override int OutChannels => 24;

    public override Tensor forward(MapFeatures input)
    {
        var coarse = nn.functional.interpolate(lateral.call(input[1]), scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        return nn.functional.relu(mix.call(input[0] + coarse));
    }
}
