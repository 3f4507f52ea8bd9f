using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Composition.Tests.Catalog.ConvNeXt;

/// <summary>
/// The ConvNeXt entries under torchvision's names, and closed-form counts that reproduce torchvision 0.14's (with its
/// classifier: LayerNorm2d 2·C, Linear 1000·C + 1000). backbone-facts.md verifies tiny and base.
/// </summary>
public sealed class ConvNeXtCatalogEntriesTests
{
    [Theory]
    [InlineData("convnext_tiny", 28_589_128)]
    [InlineData("convnext_small", 50_223_688)]
    [InlineData("convnext_base", 88_591_464)]
    [InlineData("convnext_large", 197_767_336)]
    public void TheClosedFormWithTorchvisionsClassifierReproducesTorchvisionsCount(string name, long expected)
    {
        var entry = Assert.IsType<ConvNeXtBackbone>(ComponentCatalog.Default.FindBackbone(name));
        var analysis = TestModels.Single(TestModels.Compile($$"""
            model M : segmentation {
                input { bands = [RED, GREEN, BLUE] }
                backbone {{name}}
                decoder uper_net { channels = 16 }
                head segmentation { num_classes = 2 }
            }
            """));
        long last = entry.Variant.Dims[^1];
        Assert.Equal(expected, analysis.Trace.Stages[0].Parameters + (2 * last) + (1000 * last) + 1000);

        Assert.Equal("GeoDsl.Runtime.Backbones.ConvNeXt.TorchvisionConvNeXt", entry.RuntimeType);
        Assert.Equal(new[] { "RED", "GREEN", "BLUE" }, entry.PretrainedBands);
        Assert.Equal(224, entry.DefaultImageSize);
        Assert.Equal(32, entry.PaddingMultiple(analysis.Spec.Backbone.Args));
    }
}
