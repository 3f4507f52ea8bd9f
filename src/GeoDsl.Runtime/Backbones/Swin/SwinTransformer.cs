using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Features;
using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Swin;

/// <summary>
/// torchvision's <c>SwinTransformer</c> (<c>torchvision/models/swin_transformer.py</c>, 0.14; v1 and v2) with its state-dict
/// names: <c>features.0</c> patch embedding, <c>features.1, 3, 5, 7</c> the stages' blocks, <c>features.2, 4, 6</c> patch
/// merging, then <c>norm</c> and the ImageNet <c>head</c>. As a backbone it returns the selected stages' channel-last maps
/// [B, H/s, W/s, C·2^i] (s = 4, 8, 16, 32) without the final norm. <c>norm</c> and <c>head</c> exist only with
/// <see cref="SwinOptions.NumClasses"/> &gt; 0: then torchvision's full state dict loads strictly and <see cref="Classify"/>
/// reproduces torchvision's forward. The first conv takes any number of bands. Modules after the last selected stage do
/// not run: they could not change any returned map.
/// </summary>
public sealed class SwinTransformer : Backbone<ChannelLastMapFeatures>
{
    [ComponentName(Name = "features")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> features;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm? norm;

    [ComponentName(Name = "head")]
    private readonly Linear? head;

    private readonly int[] outIndices;
    private readonly string displayName;

    /// <param name="options">Architecture; <c>OutIndices</c> select stages 0–3 (default all, in the order given).</param>
    /// <param name="name">Name used in messages, e.g. the catalog entry <c>swin_t</c>.</param>
    /// <param name="device">Where to create weights; <c>torch.META</c> builds the structure without memory (for counting).</param>
    /// <param name="dtype">Weight element type; null = the default dtype.</param>
    public SwinTransformer(SwinOptions options, string name = "swin_transformer", Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(4, "the four stages", "Swin");
        Options = options;
        displayName = name;
        outIndices = options.ResolveOutIndices(4, new[] { 0, 1, 2, 3 }, ascending: false);

        var layers = new List<nn.Module<Tensor, Tensor>> { new SwinPatchEmbedding(options.InChannels, options.EmbedDim, 4, device, dtype) };
        int totalBlocks = options.Depths.Sum();
        int blockId = 0;
        for (int stage = 0; stage < 4; stage++)
        {
            int dim = options.StageChannels(stage);
            var blocks = new nn.Module<Tensor, Tensor>[options.Depths[stage]];
            for (int i = 0; i < blocks.Length; i++)
            {
                // torchvision: rate · k / (n − 1) for block k of n, and odd blocks shift by half a window.
                double rate = totalBlocks > 1 ? options.StochasticDepth * blockId / (totalBlocks - 1) : 0.0;
                blocks[i] = new SwinTransformerBlock(dim, options.NumHeads[stage], options.WindowSize, i % 2 == 0 ? 0 : options.WindowSize / 2,
                    options.MlpRatio, rate, options.V2, device, dtype);
                blockId++;
            }

            layers.Add(nn.Sequential(blocks));
            if (stage < 3)
            {
                layers.Add(new SwinPatchMerging(dim, options.V2, device, dtype));
            }
        }

        features = nn.ModuleList(layers.ToArray());
        if (options.NumClasses > 0)
        {
            int last = options.StageChannels(3);
            norm = nn.LayerNorm(last, eps: 1e-5, device: device, dtype: dtype);
            head = nn.Linear(last, options.NumClasses, hasBias: true, device: device, dtype: dtype);
        }
        RegisterComponents();
        InitializeLikeTorchvision(this);
    }

    public SwinOptions Options { get; }

    /// <summary>The stages <see cref="forward"/> returns, non-negative, in order.</summary>
    public IReadOnlyList<int> OutIndices => outIndices;

    /// <summary>Encodes pixels [B, C, H, W] (or [B, C, 1, H, W]) into the selected stages' maps.</summary>
    public override ChannelLastMapFeatures forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = torch.NewDisposeScope();
        var pixels = SwinInputs.SingleImage(input.Pixels, Options.InChannels, displayName);
        var outputs = RunFeatures(pixels, outIndices.Select(stage => (2 * stage) + 1).ToArray());
        foreach (var t in outputs.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }

        return new ChannelLastMapFeatures(outputs);
    }

    /// <summary>
    /// Runs <c>features</c> up to the largest requested index and returns the outputs of <paramref name="featureIndices"/>
    /// (in that order). Index 0 is the patch embedding, odd indices the stages, 2, 4, 6 the mergings.
    /// </summary>
    public Tensor[] RunFeatures(Tensor pixels, IReadOnlyList<int> featureIndices)
    {
        ArgumentNullException.ThrowIfNull(featureIndices);
        int last = featureIndices.Max();
        var outputs = new Tensor[last + 1];
        var x = pixels;
        for (int i = 0; i <= last; i++)
        {
            x = features[i].call(x);
            outputs[i] = x;
        }

        return featureIndices.Select(i => outputs[i]).ToArray();
    }

    /// <summary>torchvision's own forward: features → norm → mean over the map → head; [B, num_classes].</summary>
    public Tensor Classify(Tensor pixels)
    {
        if (norm is null || head is null)
        {
            throw new InvalidOperationException($"{displayName} was built without a classifier (NumClasses = 0).");
        }

        using var scope = torch.NewDisposeScope();
        var x = RunFeatures(SwinInputs.SingleImage(pixels, Options.InChannels, displayName), new[] { 7 })[0];
        return head.call(norm.call(x).mean(new long[] { 1, 2 })).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// PyTorch's <c>trunc_normal_(std=0.02)</c>: its bounds are ±2 (absolute), a hundred standard deviations, so it is a
    /// plain normal. (TorchSharp 0.107's <c>nn.init.trunc_normal_</c> fills the tensor with the constant <c>std</c>, which
    /// makes every channel identical and their gradients zero; it is not used.)
    /// </summary>
    internal static void TruncatedNormal(Tensor tensor)
    {
        using var guard = torch.no_grad();
        nn.init.normal_(tensor, 0.0, 0.02);
        tensor.clamp_(-2.0, 2.0);
    }

    /// <summary>
    /// torchvision's initialisation: every Linear (including v2's <c>cpb_mlp</c>) trunc-normal(0.02) with zero bias, relative
    /// position tables trunc-normal(0.02), LayerNorms 1/0, logit scales ln 10, the conv left at its default.
    /// </summary>
    internal static void InitializeLikeTorchvision(nn.Module root)
    {
        using var guard = torch.no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case Linear linear:
                    TruncatedNormal(linear.weight!);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
                case ShiftedWindowAttention attention:
                    attention.InitializeLikeTorchvision();
                    break;
            }
        }
    }
}

/// <summary>Input checks the Swin backbones share.</summary>
internal static class SwinInputs
{
    /// <summary>[B, C, H, W], or [B, C, 1, H, W] squeezed; anything else is reported with the expected layout.</summary>
    public static Tensor SingleImage(Tensor pixels, int channels, string name)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        bool ok = (shape.Length == 4 || (shape.Length == 5 && shape[2] == 1)) && shape[0] >= 1 && shape[1] == channels
            && shape[^2] >= 4 && shape[^1] >= 4;
        if (!ok)
        {
            throw new ArgumentException(
                $"{name} encodes one image: it expects pixels [B, {channels}, H, W] (or [B, {channels}, 1, H, W]) with H and W at least 4; " +
                $"got [{string.Join(", ", shape)}].", nameof(pixels));
        }

        return shape.Length == 5 ? pixels.squeeze(2) : pixels;
    }

    /// <summary>[B, C, T, H, W] (or [B, C, H, W] as one image) folded to [B·T, C, H, W]; returns T too.</summary>
    public static (Tensor Images, long Frames) Frames(Tensor pixels, int channels, string name)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var shape = pixels.shape;
        bool ok = (shape.Length == 4 || (shape.Length == 5 && shape[2] >= 1)) && shape[0] >= 1 && shape[1] == channels
            && shape[^2] >= 4 && shape[^1] >= 4;
        if (!ok)
        {
            throw new ArgumentException(
                $"{name} expects images [B, {channels}, T, H, W] (T images of one place) or one image [B, {channels}, H, W], with H and W at least 4; " +
                $"got [{string.Join(", ", shape)}].", nameof(pixels));
        }

        if (shape.Length == 4)
        {
            return (pixels, 1);
        }

        // Frames join the batch, image-major within each sample, so [B·T] unfolds back to [B, T].
        var images = pixels.permute(0, 2, 1, 3, 4).reshape(shape[0] * shape[2], shape[1], shape[3], shape[4]);
        return (images, shape[2]);
    }
}
