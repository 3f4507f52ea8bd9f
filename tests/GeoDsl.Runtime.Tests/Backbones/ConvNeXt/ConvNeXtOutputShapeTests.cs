using GeoDsl.Composition.Shapes;
using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>Four channel-first maps at strides 4, 8, 16 and 32, at the default size and others, as the front end says.</summary>
public sealed class ConvNeXtOutputShapeTests
{
    private static MapFeatures Encode(TorchvisionConvNeXt model, long height, long width, long channels = 3)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        return model.call(new BackboneInput(ConvNeXtTestModels.Pixels(1, channels, height, width)));
    }

    [Fact]
    public void AtTheDefaultSizeTheStagesAreAt56_28_14And7Pixels()
    {
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        var maps = Encode(model, 224, 224);

        Assert.Equal(4, maps.Count);
        Assert.Equal(new long[] { 1, 8, 56, 56 }, maps[0].shape);
        Assert.Equal(new long[] { 1, 16, 28, 28 }, maps[1].shape);
        Assert.Equal(new long[] { 1, 24, 14, 14 }, maps[2].shape);
        Assert.Equal(new long[] { 1, 32, 7, 7 }, maps[3].shape);
    }

    [Theory]
    [InlineData("convnext_tiny", "224", 224, 224)]
    [InlineData("convnext_base", "[96, 160]", 96, 160)]
    [InlineData("convnext_tiny", "100", 128, 128)]
    public void TheShapesEqualTheFrontEndsShapes(string backbone, string size, int paddedHeight, int paddedWidth)
    {
        // The real variants' channels with one block per stage keep this cheap.
        var analysis = ConvNeXtTestModels.Segmentation(backbone, "depths = [1, 1, 1, 1]", size);
        var output = analysis.Trace.Stages[0].Output;
        var arch = ConvNeXtTestModels.Descriptor(backbone).Resolve(analysis.Spec.Input, analysis.Spec.Backbone.Args);
        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(arch));
        var maps = Encode(model, arch.ImageHeight, arch.ImageWidth);

        Assert.Equal((paddedHeight, paddedWidth), (arch.ImageHeight, arch.ImageWidth));
        Assert.Equal(FeatureKind.Maps, output.Kind);
        Assert.Equal(output.Count, maps.Count);
        for (var i = 0; i < maps.Count; i++)
        {
            Assert.Equal(new long[] { 1 }.Concat(output.Tensors[i].Dims.Select(d => (long)d)), maps[i].shape);
        }
    }

    [Fact]
    public void SizesThatAreNotMultiplesOf32AreFlooredAsTorchvisionsConvolutionsFloorThem()
    {
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        var maps = Encode(model, 100, 75);
        Assert.Equal(new[] { (25L, 18L), (12L, 9L), (6L, 4L), (3L, 2L) }, maps.Tensors.Select(m => (m.shape[2], m.shape[3])));
    }

    [Fact]
    public void OutIndicesSelectStagesInOrderAndLaterStagesAreSkipped()
    {
        torch.manual_seed(2);
        using var all = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        using var some = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny() with { OutIndices = new[] { 1, -4 } });
        some.load_state_dict(all.state_dict());
        var every = Encode(all, 64, 64);
        var selected = Encode(some, 64, 64);

        Assert.Equal(new[] { 1, 0 }, some.OutIndices);
        Assert.Equal(0f, ConvNeXtTestModels.MaxAbsDifference(every[1], selected[0]));
        Assert.Equal(0f, ConvNeXtTestModels.MaxAbsDifference(every[0], selected[1]));
    }

    [Theory]
    [InlineData(1, 4, 64, 64)]
    [InlineData(1, 3, 16, 64)]
    public void PixelsOfTheWrongLayoutAreRejectedWithTheExpectedLayout(long batch, long channels, long height, long width)
    {
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny(), "convnext_small_test");
        var error = Assert.Throws<ArgumentException>(() => model.call(new BackboneInput(zeros(batch, channels, height, width))));
        Assert.Contains("convnext_small_test expects pixels [B, 3, H, W]", error.Message);
        Assert.Contains("at least 32", error.Message);
    }
}
