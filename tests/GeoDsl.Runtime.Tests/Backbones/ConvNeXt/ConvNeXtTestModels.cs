using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>Small and real-size torchvision ConvNeXt configurations, and the front end's view of them.</summary>
internal static class ConvNeXtTestModels
{
    /// <summary>A tiny network: 3 bands, stages of 8/16/24/32 channels with 1/1/2/1 blocks.</summary>
    public static TorchvisionConvNeXtOptions Tiny() => new()
    {
        InChannels = 3,
        Dims = new[] { 8, 16, 24, 32 },
        Depths = new[] { 1, 1, 2, 1 },
    };

    /// <summary>Every catalog variant; its torchvision key list has the same name.</summary>
    public static TheoryData<string> Variants => new(ConvNeXtVariants.All.Select(v => v.Name));

    public static ConvNeXtBackbone Descriptor(string name) => (ConvNeXtBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    /// <summary>A segmentation model on <paramref name="backbone"/>, compiled by the front end.</summary>
    public static GeoDsl.Composition.ModelAnalysis Segmentation(string backbone, string arguments = "", string size = "224", string bands = "RED, GREEN, BLUE") => ModelSpecs.Analyze($$"""
        model Maps : segmentation {
            input { bands = [{{bands}}], size = {{size}} }
            backbone {{backbone}} { {{arguments}} }
            decoder uper_net { channels = 16 }
            head segmentation { num_classes = 3 }
        }
        """, "test.geomodel");

    /// <summary>The front end's architecture for a model on <paramref name="backbone"/> (the runtime options' source).</summary>
    public static ConvNeXtArchitecture Architecture(string backbone, string arguments = "", string size = "224", string bands = "RED, GREEN, BLUE")
    {
        var spec = Segmentation(backbone, arguments, size, bands).Spec;
        return Descriptor(backbone).Resolve(spec.Input, spec.Backbone.Args);
    }

    public static long LearnableParameterCount(this nn.Module module) =>
        module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    public static Tensor Pixels(long batch, long channels, long height, long width, int seed = 1)
    {
        var generator = new Generator((ulong)seed);
        return torch.randn(new[] { batch, channels, height, width }, generator: generator);
    }

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
