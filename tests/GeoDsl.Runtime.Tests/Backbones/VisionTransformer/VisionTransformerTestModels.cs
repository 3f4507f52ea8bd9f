using GeoDsl.Composition;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Runtime.Backbones.VisionTransformer;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.VisionTransformer;

/// <summary>Small and real-size torchvision ViT configurations, and the front end's view of them.</summary>
internal static class VisionTransformerTestModels
{
    /// <summary>A tiny encoder: 3 bands, patch 4, D = 32, 2 heads, MLP 64, 3 blocks, positions stored for 16×16 px (4×4 grid).</summary>
    public static TorchvisionViTOptions Tiny(int layers = 3) => new()
    {
        InChannels = 3,
        PatchSize = 4,
        NumLayers = layers,
        NumHeads = 2,
        HiddenDim = 32,
        MlpDim = 64,
        ImageSize = (16, 16),
    };

    /// <summary>
    /// Every catalog variant with its torchvision key-list file and the size that file was written for. The positions
    /// are stored for image_size: at 224 px the /32 models' input is padded to 256 (2 × patch), torchvision's is 224.
    /// </summary>
    public static TheoryData<string, string, int> Variants => new()
    {
        { "vit_small_patch16", "vit_small_patch16", 224 },
        { "vit_base_patch16", "vit_b_16", 224 },
        { "vit_base_patch32", "vit_b_32", 224 },
        { "vit_large_patch16", "vit_l_16", 224 },
        { "vit_large_patch32", "vit_l_32", 224 },
        { "vit_huge_patch14", "vit_h_14", 224 },
        { "vit_huge_patch14", "vit_h_14_518", 518 },
    };

    /// <summary>The backbone arguments that store the positions for <paramref name="imageSize"/>, as torchvision's image_size.</summary>
    public static string ImageSizeArgument(int imageSize) => $"image_size = {imageSize}";

    public static VisionTransformerBackbone Descriptor(string name) => (VisionTransformerBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    /// <summary>A classification model on <paramref name="backbone"/> with RGB input, compiled by the front end.</summary>
    public static ModelAnalysis Classifier(string backbone, string arguments = "", int size = 224, string bands = "RED, GREEN, BLUE") => ModelSpecs.Analyze($$"""
        model Classifier : classification {
            input { bands = [{{bands}}], size = {{size}} }
            backbone {{backbone}} { {{arguments}} }
            neck reshape_tokens_to_image
            decoder identity
            head classification { num_classes = 10 }
        }
        """, "test.geomodel");

    /// <summary>The front end's architecture for a classifier on <paramref name="backbone"/> (the runtime options' source).</summary>
    public static VisionTransformerArchitecture Architecture(string backbone, string arguments = "", int size = 224, string bands = "RED, GREEN, BLUE")
    {
        var spec = Classifier(backbone, arguments, size, bands).Spec;
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
