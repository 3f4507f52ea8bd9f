using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// A SatlasPretrain Swin-v2 backbone as TerraTorch builds it (<c>SwinEncoderWrapper</c> in
/// <c>terratorch/models/backbones/torchgeo_swin_satlas.py</c> @85467a9): torchvision's Swin-v2 (first conv taking the
/// model's bands, as torchgeo and satlaspretrain_models replace <c>features[0][0]</c>) held as <c>swin_model</c>, so the
/// state-dict keys are <c>swin_model.features.…</c>, <c>swin_model.norm.…</c>, <c>swin_model.head.…</c> like TerraTorch's.
/// <c>OutIndices</c> index the eight <c>features</c> modules; outputs are their channel-last maps in module order, each
/// once. A multi-image model takes [B, C, T, H, W], runs the Swin on the B·T images and max-pools every output over the
/// T images (satlaspretrain_models <c>AggregationBackbone</c>, one group, <c>amax</c>). torchvision's <c>norm</c> and
/// <c>head</c> stay, unused, as in TerraTorch (so its checkpoints load strictly and the counts agree).
/// </summary>
public sealed class SatlasSwinTransformer : Backbone<ChannelLastMapFeatures>
{
    [ComponentName(Name = "swin_model")]
    private readonly SwinTransformer swinModel;

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; <c>OutIndices</c> index <c>features</c> 0–7 (default [-1]).</param>
    /// <param name="multiImage">Accept several images per sample and max-pool their features.</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry.</param>
    /// <param name="device">Where to create weights (<c>torch.META</c> for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public SatlasSwinTransformer(SwinOptions options, bool multiImage, string name = "satlas_swin", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(8, "the eight features modules", "Satlas Swin");
        MultiImage = multiImage;
        displayName = name;
        outIndices = options.ResolveOutIndices(8, new[] { -1 }, ascending: true);
        // TerraTorch builds torchvision's model with its default 1000-class classifier and keeps it (unused).
        swinModel = new SwinTransformer(options with { OutIndices = null, NumClasses = options.NumClasses > 0 ? options.NumClasses : 1000 }, name, device, dtype);
        RegisterComponents();
    }

    public SwinOptions Options => swinModel.Options with { OutIndices = outIndices };

    /// <summary>Whether several images per sample are max-pooled.</summary>
    public bool MultiImage { get; }

    /// <summary>The <c>features</c> modules whose outputs <see cref="forward"/> returns, ascending.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>The wrapped torchvision Swin (<c>swin_model</c>).</summary>
    public SwinTransformer SwinModel => swinModel;

    public override ChannelLastMapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var channels = swinModel.Options.InChannels;
        var (images, frames) = MultiImage
            ? SwinInputs.Frames(input.Pixels, channels, displayName)
            : (SwinInputs.SingleImage(input.Pixels, channels, displayName), 1L);
        var outputs = swinModel.RunFeatures(images, outIndices);
        if (frames > 1)
        {
            outputs = outputs.Select(o => o.view(Prepend(o.shape[0] / frames, frames, o.shape.Skip(1))).amax(new long[] { 1 })).ToArray();
        }

        foreach (var t in outputs.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new ChannelLastMapFeatures(outputs);
    }

    private static long[] Prepend(long batch, long frames, IEnumerable<long> rest) => new[] { batch, frames }.Concat(rest).ToArray();
}
