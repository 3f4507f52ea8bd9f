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

    /// <summary>Prithvi-EO-2.0-300M (ViT-L/16, 6 bands, 224 px) → select 5, 11, 17, 23 → maps → learned pyramid → UNet → head.</summary>
    public static HandComposedModel PrithviUNet(int imageSize)
    {
        var encoder = new PrithviViT(new PrithviViTOptions
        {
            InChannels = 6,
            EmbedDim = 1024,
            Depth = 24,
            NumHeads = 16,
            MlpRatio = 4,
            PatchSize = (1, 16, 16),
            NumFrames = 1,
            ImageSize = (imageSize, imageSize),
        });
        var select = new SelectIndices<TokenFeatures>(new[] { 5, 11, 17, 23 });
        var reshape = new ReshapeTokensToImage();
        var pyramid = new LearnedInterpolateToPyramidal(new[] { 1024, 1024, 1024, 1024 });
        var decoder = new UNetDecoder(LearnedInterpolateToPyramidal.OutChannels(new[] { 1024, 1024, 1024, 1024 }), new[] { 512, 256, 128, 64 },
            use_batchnorm: true, flavor: SmpUnetFlavor.Smp04);
        var head = new SegmentationHead(64, 2);
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
