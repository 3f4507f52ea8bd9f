using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Catalog.ResNet;

/// <summary>
/// Activation estimates of the ResNets: what autograd keeps for the backward pass, checked against PyTorch's saved
/// tensors, and how it scales with the image and with the frames of a Satlas multi-image entry.
/// </summary>
public sealed class ResNetActivationTests
{
    private static readonly string[] Rgb = { "RED", "GREEN", "BLUE" };

    private static InputSpec Input(IReadOnlyList<string> bands) =>
        new(bands.ToEquatableArray(), 224, 224, 1, EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    private static ArgumentList Defaults(ComponentDescriptor descriptor) => new(descriptor.Parameters
        .Where(p => p.Default is not null and not NoneValue)
        .Select(p => new Argument(p.Name, p.Default!)).ToEquatableArray());

    private static ResNetBackbone Find(string name) => (ResNetBackbone)ComponentCatalog.Default.FindBackbone(name)!;

    [Theory]
    [InlineData("resnet18", 21.19)]
    [InlineData("resnet50", 82.12)]
    [InlineData("resnet101", 121.37)]
    public void TheTrainingEstimateIsWhatPyTorchSavesWithinOnePercent(string name, double measuredMiB)
    {
        // bench/tools/resnet_activations.py: torch 1.13 saved_tensors_hooks, fp32, one 224 px image, weights excluded.
        var backbone = Find(name);
        var input = Input(Rgb);
        var context = new GeoDsl.Composition.Shapes.ShapeContext(input, ModelTask.Segmentation, "input", (_, _, _) => { });
        var output = backbone.Infer(input, Defaults(backbone), context)!;
        var settings = GeoDsl.Composition.Memory.ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: false);
        double estimateMiB = backbone.EstimateActivations(input, Defaults(backbone), output, settings).SavedBytes / 1048576.0;
        Assert.InRange(estimateMiB / measuredMiB, 0.99, 1.01);
    }

    [Fact]
    public void ActivationsGrowWithTheImageAndWithTheSatlasFrames()
    {
        var backbone = Find("satlas_resnet50_sentinel2_mi_rgb_satlas");
        var settings = GeoDsl.Composition.Memory.ActivationSettings.For(Precision.Fp32, training: true, gradientCheckpointing: false);
        long Saved(int size, int frames)
        {
            var input = Input(Rgb) with { Height = size, Width = size, Frames = frames };
            var context = new GeoDsl.Composition.Shapes.ShapeContext(input, ModelTask.Segmentation, "input", (_, _, _) => { });
            var output = backbone.Infer(input, Defaults(backbone), context)!;
            return backbone.EstimateActivations(input, Defaults(backbone), output, settings).SavedBytes;
        }

        Assert.True(Saved(256, 1) > 3.9 * Saved(128, 1) && Saved(256, 1) < 4.1 * Saved(128, 1));
        Assert.True(Saved(256, 4) > 4 * Saved(256, 1));
    }
}
