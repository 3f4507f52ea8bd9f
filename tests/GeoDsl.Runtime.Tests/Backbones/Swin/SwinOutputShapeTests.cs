using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;
using GeoDsl.Runtime.Backbones.Swin;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Swin;

/// <summary>
/// Every output's shape, from the runtime module and from the front end, at the entry's default size and at a non-default,
/// non-square size: channel-last [B, H/s, W/s, C·2^i]. The architectures are narrowed (C = 8, one block per stage) so the
/// real image sizes run quickly; widths do not change the spatial arithmetic.
/// </summary>
public sealed class SwinOutputShapeTests
{
    private static readonly Argument[] Narrow =
    {
        new("embed_dim", new IntValue(8)),
        SwinTestModels.Ints("depths", 1, 1, 1, 1),
        SwinTestModels.Ints("num_heads", 1, 1, 2, 2),
    };

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in new[] { "swin_t", "swin_v2_b", "satlas_swin_t_sentinel2_si_rgb", "satlas_swin_b_sentinel1_mi", "prithvi_swin_L" })
        {
            int size = SwinTestModels.Descriptor(name).DefaultImageSize;
            data.Add(name, size, size);
            data.Add(name, 96, 160);
        }

        return data;
    }

    private static (FeatureShape Expected, ChannelLastMapFeatures Actual) Run(string name, int height, int width, int frames, params Argument[] extra)
    {
        var descriptor = SwinTestModels.Descriptor(name);
        var input = new InputSpec(descriptor.PretrainedBands.ToEquatableArray(), height, width, frames, EquatableArray<double>.Empty, EquatableArray<double>.Empty);
        var args = SwinTestModels.DefaultArguments(descriptor, Narrow.Concat(extra).ToArray());
        var errors = new List<string>();
        var context = new ShapeContext(input, ModelTask.Segmentation, "the input", (d, _, a) => errors.Add(d.Id + ": " + string.Format(System.Globalization.CultureInfo.InvariantCulture, d.MessageFormat, a)));
        var expected = descriptor.Infer(input, args, context);
        Assert.True(expected is not null, string.Join("; ", errors));

        torch.manual_seed(1);
        using nn.Module module = SwinTestModels.BuildModule(descriptor, input, args);
        module.eval();
        using var noGrad = torch.no_grad();
        long[] shape = frames == 1 ? new long[] { 2, input.Channels, height, width } : new long[] { 2, input.Channels, frames, height, width };
        var features = (ChannelLastMapFeatures)((IBackbone)module).Encode(new BackboneInput(SwinTestModels.Pixels(shape)));
        return (expected!, features);
    }

    private static void AssertShapes(FeatureShape expected, ChannelLastMapFeatures actual)
    {
        Assert.Equal(FeatureKind.ChannelLastMaps, expected.Kind);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(new long[] { 2 }.Concat(expected.Tensors[i].Dims.Select(d => (long)d)), actual[i].shape);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheRuntimeOutputsHaveTheShapesTheFrontEndInfers(string name, int height, int width)
    {
        var (expected, actual) = Run(name, height, width, 1, SwinTestModels.Ints("out_indices", name.StartsWith("satlas", StringComparison.Ordinal) ? new[] { 0, 1, 2, 3, 4, 5, 6, 7 } : new[] { 0, 1, 2, 3 }));
        AssertShapes(expected, actual);
    }

    [Fact]
    public void TheStagesOfATorchvisionSwinAreStridedFourToThirtyTwoWithDoublingChannels()
    {
        var (_, actual) = Run("swin_t", 224, 224, 1);
        Assert.Equal(new[] { "2×56×56×8", "2×28×28×16", "2×14×14×32", "2×7×7×64" }, actual.Tensors.Select(t => string.Join("×", t.shape)));
    }

    [Fact]
    public void SatlasReturnsOnlyTheLastStageByDefault()
    {
        var (expected, actual) = Run("satlas_swin_b_sentinel2_si_ms", 256, 256, 1);
        Assert.Equal("B×8×8×64", Assert.Single(expected.Tensors).ToString());
        Assert.Equal(new long[] { 2, 8, 8, 64 }, Assert.Single(actual.Tensors).shape);
    }

    [Fact]
    public void SatlasOutIndicesIndexTheEightFeaturesModulesInModuleOrder()
    {
        var (expected, actual) = Run("satlas_swin_t_sentinel2_si_ms", 64, 64, 1, SwinTestModels.Ints("out_indices", 7, 2, -8, 2));
        Assert.Equal(new[] { "B×16×16×8", "B×8×8×16", "B×2×2×64" }, expected.Tensors.Select(t => t.ToString()));
        AssertShapes(expected, actual);
    }

    [Fact]
    public void AMultiImageSatlasModelMaxPoolsEachOutputOverTheImages()
    {
        torch.manual_seed(2);
        using var model = new SatlasSwinTransformer(SwinTestModels.TinyShifted(v2: true, inChannels: 2) with { OutIndices = new[] { 1, 7 } }, multiImage: true);
        model.eval();
        using var noGrad = torch.no_grad();
        var images = SwinTestModels.Pixels(2, 2, 3, 64, 64);
        var pooled = model.call(new BackboneInput(images));
        var single = Enumerable.Range(0, 3).Select(t => model.call(new BackboneInput(images.select(2, t)))).ToList();
        for (int i = 0; i < pooled.Count; i++)
        {
            var expected = torch.stack(single.Select(s => s[i]).ToArray()).amax(new long[] { 0 });
            Assert.Equal(0f, SwinTestModels.MaxAbsDifference(expected, pooled[i]));
        }
    }

    [Fact]
    public void ASingleImageModelRejectsSeveralFramesWithTheExpectedLayout()
    {
        using var model = new SwinTransformer(SwinTestModels.Tiny(), "swin_t");
        var error = Assert.Throws<ArgumentException>(() => model.call(new BackboneInput(SwinTestModels.Pixels(1, 3, 2, 32, 32))));
        Assert.Contains("[B, 3, H, W]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 2, 32, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesThatAreNoMultipleOfTheWindowOrOfTwoArePaddedInsideLikeTorchvision()
    {
        using var model = new SwinTransformer(SwinTestModels.TinyShifted());
        model.eval();
        using var noGrad = torch.no_grad();
        var features = model.call(new BackboneInput(SwinTestModels.Pixels(1, 3, 70, 90)));
        Assert.Equal(new[] { "1×17×22×8", "1×9×11×16", "1×5×6×32", "1×3×3×64" }, features.Tensors.Select(t => string.Join("×", t.shape)));
    }
}
