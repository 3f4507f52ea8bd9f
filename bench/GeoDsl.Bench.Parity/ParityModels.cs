using System;
using System.Collections.Generic;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Backbones.ResNet;
using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Bench.Parity;

/// <summary>
/// One model of the bench: how to build GeoDsl's module (with the reference implementation's state-dict names, so the
/// reference weights load strictly) and how to run it, returning "output" plus one tensor per tap that
/// bench/parity/reference.py records for the same row.
/// </summary>
/// <param name="Module">GeoDsl's class and configuration, for the report.</param>
/// <param name="Build">Builds the module with weights of the given element type (float32 or float64).</param>
internal sealed record ParityModel(string Module, Func<ScalarType, nn.Module> Build, Func<nn.Module, Tensor, IReadOnlyDictionary<string, Tensor>> Run);

/// <summary>The models the bench knows; keys match the rows of MODELS in bench/parity/reference.py.</summary>
internal static class ParityModels
{
    public static IReadOnlyDictionary<string, ParityModel> All { get; } = new Dictionary<string, ParityModel>(StringComparer.Ordinal)
    {
        ["resnet50"] = new(
            "GeoDsl.Runtime.Backbones.ResNet.ResNetEncoder (ResNet-50, NumClasses = 1000)",
            dtype => new ResNetEncoder(ResNetOptions.ForDepth(50) with { NumClasses = 1000 }, "resnet50", dtype: dtype),
            (module, x) => ResNetOutputs((ResNetEncoder)module, x)),

        ["vit_b_16"] = new(
            "GeoDsl.Runtime.Backbones.VisionTransformer.TorchvisionViT (ViT-B/16 at 224 px, NumClasses = 1000)",
            dtype => new TorchvisionViT(new TorchvisionViTOptions { NumClasses = 1000 }, "vit_b_16", dtype: dtype),
            (module, x) => VisionTransformerOutputs((TorchvisionViT)module, x)),

        ["convnext_tiny"] = new(
            "GeoDsl.Runtime.Backbones.ConvNeXt.TorchvisionConvNeXt (convnext_tiny, NumClasses = 1000)",
            dtype => new TorchvisionConvNeXt(new TorchvisionConvNeXtOptions { NumClasses = 1000 }, "convnext_tiny", dtype: dtype),
            (module, x) => ConvNeXtOutputs((TorchvisionConvNeXt)module, x)),

        ["swin_t"] = new(
            "GeoDsl.Runtime.Backbones.Swin.SwinTransformer (swin_t, NumClasses = 1000)",
            dtype => new SwinTransformer(SwinOptions.SwinT with { NumClasses = 1000 }, "swin_t", dtype: dtype),
            (module, x) => SwinOutputs((SwinTransformer)module, x)),

        ["swin_v2_t"] = new(
            "GeoDsl.Runtime.Backbones.Swin.SwinTransformer (swin_v2_t, NumClasses = 1000)",
            dtype => new SwinTransformer(SwinOptions.SwinV2T with { NumClasses = 1000 }, "swin_v2_t", dtype: dtype),
            (module, x) => SwinOutputs((SwinTransformer)module, x)),

        // Add a row per model, e.g. (see bench/parity/README.md):
        // ["vit_b_16"] = new("GeoDsl.Runtime.Backbones.…", dtype => new …(…, dtype: dtype), (module, x) => new Dictionary<string, Tensor> { ["output"] = …, ["encoder"] = … }),
    };

    /// <summary>torchvision's logits, and the five levels under the names of the torchvision modules that produce them.</summary>
    private static IReadOnlyDictionary<string, Tensor> ResNetOutputs(ResNetEncoder encoder, Tensor x)
    {
        var levels = encoder.call(new BackboneInput(x));
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["output"] = encoder.Classify(x),
            ["relu"] = levels[0],
            ["layer1"] = levels[1],
            ["layer2"] = levels[2],
            ["layer3"] = levels[3],
            ["layer4"] = levels[4],
        };
    }

    /// <summary>torchvision's logits, blocks 0 and 5 (encoder_layer_N's outputs) and the encoder's output (after encoder.ln).</summary>
    private static IReadOnlyDictionary<string, Tensor> VisionTransformerOutputs(TorchvisionViT vit, Tensor x)
    {
        var blocks = vit.call(new BackboneInput(x));
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["output"] = vit.Classify(x),
            ["encoder.layers.encoder_layer_0"] = blocks[0],
            ["encoder.layers.encoder_layer_5"] = blocks[5],
            ["encoder"] = blocks[^1],
        };
    }

    /// <summary>torchvision's logits and the four stages under the names of the features modules that produce them.</summary>
    private static IReadOnlyDictionary<string, Tensor> ConvNeXtOutputs(TorchvisionConvNeXt convnext, Tensor x)
    {
        var stages = convnext.call(new BackboneInput(x));
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["output"] = convnext.Classify(x),
            ["features.1"] = stages[0],
            ["features.3"] = stages[1],
            ["features.5"] = stages[2],
            ["features.7"] = stages[3],
        };
    }

    /// <summary>torchvision's logits and the four stages (channel-last) under the names of the features modules that produce them.</summary>
    private static IReadOnlyDictionary<string, Tensor> SwinOutputs(SwinTransformer swin, Tensor x)
    {
        var stages = swin.call(new BackboneInput(x));
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["output"] = swin.Classify(x),
            ["features.1"] = stages[0],
            ["features.3"] = stages[1],
            ["features.5"] = stages[2],
            ["features.7"] = stages[3],
        };
    }
}
