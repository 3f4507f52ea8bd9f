using GeoDsl.Runtime.Backbones.ConvNeXt;
using GeoDsl.Runtime.Features;
using GeoDsl.Runtime.Tests.Backbones.VisionTransformer;
using TorchSharp;

namespace GeoDsl.Runtime.Tests.Backbones.ConvNeXt;

/// <summary>
/// State-dict keys and shapes equal torchvision's, so its checkpoints load by name. The reference lists
/// <c>bench/keys/convnext_*.txt</c> were written by <c>bench/tools/dump_state_dict_keys.py</c> from Debian's torchvision 0.14.1
/// (<c>torchvision/models/convnext.py</c>: stem <c>features.0.0</c>/<c>.1</c>, CNBlock <c>block.0/2/3/5</c> and
/// <c>layer_scale</c>, downsampling <c>features.{2,4,6}.0/1</c>, <c>classifier.0/2</c>). Built on the meta device with
/// the 1000-class classifier torchvision has.
/// </summary>
public sealed class ConvNeXtStateDictTests
{
    [Theory]
    [MemberData(nameof(ConvNeXtTestModels.Variants), MemberType = typeof(ConvNeXtTestModels))]
    public void EveryKeyAndShapeEqualsTorchvisionsList(string backbone)
    {
        var arch = ConvNeXtTestModels.Architecture(backbone);
        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(arch) with { NumClasses = 1000 }, backbone, device: torch.META);

        var expected = TorchvisionKeyList.Read(backbone).Lines.Order(StringComparer.Ordinal).ToList();
        var actual = TorchvisionKeyList.Describe(model).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WithoutAClassifierOnlyTheClassifierIsMissing()
    {
        using var model = new TorchvisionConvNeXt(TorchvisionConvNeXtOptions.From(ConvNeXtTestModels.Architecture("convnext_tiny")), device: torch.META);
        var expected = TorchvisionKeyList.Read("convnext_tiny").Entries.Select(e => e.Key).Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.False(model.HasClassifier);
    }

    [Fact]
    public void LayerScaleStartsAtTorchvisionsValueAsALearnedParameter()
    {
        using var model = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        var scale = model.named_parameters().Single(p => p.name == "features.5.1.layer_scale").parameter;
        Assert.Equal(new long[] { 24, 1, 1 }, scale.shape);
        Assert.True(scale.eq(1e-6f).all().item<bool>());
        Assert.Empty(model.named_buffers());
    }

    [Fact]
    public void AStateDictCopiedByNameReproducesTheOutputs()
    {
        torch.manual_seed(3);
        using var source = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        torch.manual_seed(4);
        using var target = new TorchvisionConvNeXt(ConvNeXtTestModels.Tiny());
        source.eval();
        target.eval();

        var (missing, unexpected) = target.load_state_dict(source.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = ConvNeXtTestModels.Pixels(2, 3, 64, 64);
        var a = source.call(new BackboneInput(pixels));
        var b = target.call(new BackboneInput(pixels));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(0f, ConvNeXtTestModels.MaxAbsDifference(a[i], b[i]));
        }
    }
}
