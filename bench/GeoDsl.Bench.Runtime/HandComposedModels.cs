using System.Collections.Generic;
using System.Linq;
using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Decoders;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Heads;
using GeoDsl.Runtime.Necks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GeoDsl.Bench.Runtime;

/// <summary>
/// The baseline the generated models are measured against: the same runtime modules, built by hand with the numbers
/// the .geomodel files resolve to, their forwards chained directly, with none of GeoModel's plumbing (no input checks,
/// no padding, no feature-set dispatch through the base class).
/// </summary>
public sealed class HandComposedModel
{
    private readonly System.Func<Tensor, Tensor> _forward;

    private HandComposedModel(IReadOnlyList<nn.Module> modules, System.Func<Tensor, Tensor> forward)
    {
        Modules = modules;
        _forward = forward;
    }

    public IReadOnlyList<nn.Module> Modules { get; }

    public IEnumerable<Parameter> Parameters => Modules.SelectMany(m => m.parameters());

    public long ParameterCount => Parameters.Sum(p => p.numel());

    /// <summary>Logits [B, K, H, W] at the input's size.</summary>
    public Tensor Forward(Tensor pixels) => _forward(pixels);

    public void Train()
    {
        foreach (var module in Modules)
        {
            module.train();
        }
    }

    public void Eval()
    {
        foreach (var module in Modules)
        {
            module.eval();
        }
    }

    /// <summary>Prithvi-EO-2.0-300M (ViT-L/16, 6 bands) → select 5, 11, 17, 23 → maps → learned pyramid → UNet [512, 256, 128, 64] → head.</summary>
    public static HandComposedModel PrithviUNet(int imageSize) =>
        PrithviUNet(imageSize, embedDim: 1024, depth: 24, heads: 16, patch: 16, new[] { 5, 11, 17, 23 }, new[] { 512, 256, 128, 64 });

    /// <summary>The quickstart's tiny Prithvi-class model: width 96, 4 blocks, 8-pixel patches, UNet [64, 32, 16, 16].</summary>
    public static HandComposedModel TinyPrithviUNet(int imageSize) =>
        PrithviUNet(imageSize, embedDim: 96, depth: 4, heads: 4, patch: 8, new[] { 0, 1, 2, 3 }, new[] { 64, 32, 16, 16 });

    private static HandComposedModel PrithviUNet(int imageSize, int embedDim, int depth, int heads, int patch, int[] indices, int[] unetChannels)
    {
        var encoder = new PrithviViT(new PrithviViTOptions
        {
            InChannels = 6,
            EmbedDim = embedDim,
            Depth = depth,
            NumHeads = heads,
            MlpRatio = 4,
            PatchSize = (1, patch, patch),
            NumFrames = 1,
            ImageSize = (imageSize, imageSize),
        });
        var select = new SelectIndices<TokenFeatures>(indices);
        var reshape = new ReshapeTokensToImage();
        var widths = new[] { embedDim, embedDim, embedDim, embedDim };
        var pyramid = new LearnedInterpolateToPyramidal(widths);
        var decoder = new UNetDecoder(LearnedInterpolateToPyramidal.OutChannels(widths), unetChannels, use_batchnorm: true, flavor: SmpUnetFlavor.Smp04);
        var head = new SegmentationHead(unetChannels[^1], 2);
        return new HandComposedModel(new nn.Module[] { encoder, select, reshape, pyramid, decoder, head }, pixels =>
        {
            var tokens = encoder.call(new BackboneInput(pixels));
            var maps = pyramid.call(reshape.call(select.call(tokens)));
            var logits = head.call(decoder.call(maps));
            return nn.functional.interpolate(logits, new[] { pixels.shape[2], pixels.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false);
        });
    }

    /// <summary>torchvision's ResNet-50 (RGB, layer1..layer4) → UperNet (256 channels, pool scales 1, 2, 3, 6) → head.</summary>
    public static HandComposedModel ResNet50UperNet()
    {
        var encoder = new ResNetEncoder(ResNetOptions.ForDepth(50) with { InChannels = 3, OutIndices = new[] { 1, 2, 3, 4 } }, "resnet50");
        var decoder = new UperNetDecoder(new[] { 256, 512, 1024, 2048 }, new[] { 1, 2, 3, 6 }, channels: 256, align_corners: true);
        var head = new SegmentationHead(256, 2);
        return new HandComposedModel(new nn.Module[] { encoder, decoder, head }, pixels =>
        {
            var logits = head.call(decoder.call(encoder.call(new BackboneInput(pixels))));
            return nn.functional.interpolate(logits, new[] { pixels.shape[2], pixels.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false);
        });
    }
}
