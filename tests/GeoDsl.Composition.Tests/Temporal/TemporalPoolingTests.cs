using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Decoders;
using GeoDsl.Composition.Catalog.Heads;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Tests.Temporal;

/// <summary>
/// temporal_pooling on a single-image backbone (TerraTorch's TemporalWrapper): the backbone sees one frame, and its
/// features are pooled over the input's frames — concat multiplies the channels.
/// </summary>
public sealed class TemporalPoolingTests
{
    /// <summary>A stand-in single-image backbone: two channel-first maps at strides 4 and 8.</summary>
    private sealed class TwoLevelMaps : BackboneDescriptor
    {
        public TwoLevelMaps()
            : base("two_level_maps", "Test backbone: 16 channels at /4 and 32 at /8.")
        {
        }

        public override IReadOnlyList<string> PretrainedBands => Array.Empty<string>();

        public override string RuntimeType => "Test.TwoLevelMaps";

        public override int DefaultImageSize => 64;

        public override int PaddingMultiple(ArgumentList args) => 8;

        public override FeatureShape? Infer(InputSpec input, ArgumentList args, ShapeContext context)
        {
            Assert.Equal(1, input.Frames); // The wrapper shows the backbone one frame.
            return FeatureShape.Maps(new[] { TensorShape.Of(16, input.Height / 4, input.Width / 4), TensorShape.Of(32, input.Height / 8, input.Width / 8) });
        }

        public override long CountParameters(InputSpec input, ArgumentList args) => 100 * input.Channels;

        public override ActivationEstimate EstimateActivations(InputSpec input, ArgumentList args, FeatureShape output, ActivationSettings settings) =>
            new(1000, 10);
    }

    private static readonly ComponentCatalog Catalog = new(
        new BackboneDescriptor[] { new TwoLevelMaps() },
        ComponentCatalog.Default.Necks,
        ComponentCatalog.Default.Decoders,
        ComponentCatalog.Default.Heads);

    private static FileAnalysis Compile(string frames, string pooling) => GeoModelCompiler.Compile("t.geomodel", $$"""
        model T : segmentation {
            input { bands = [RED, GREEN, BLUE], size = 64, frames = {{frames}} }
            backbone two_level_maps { temporal_pooling = {{pooling}} }
            decoder uper_net { channels = 8 }
            head segmentation { num_classes = 2 }
        }
        """, Catalog);

    [Fact]
    public void MeanKeepsTheBackbonesShapesForAnyNumberOfFrames()
    {
        var model = Assert.Single(Compile("4", "mean").Models);
        Assert.Equal(new[] { "B×16×16×16", "B×32×8×8" }, model.Trace.Stages[0].Output.Tensors.Select(t => t.ToString()));
    }

    [Fact]
    public void ConcatStacksTheFramesIntoTheChannels()
    {
        var model = Assert.Single(Compile("3", "concat").Models);
        Assert.Equal(new[] { "B×48×16×16", "B×96×8×8" }, model.Trace.Stages[0].Output.Tensors.Select(t => t.ToString()));
        Assert.Equal(300, model.Trace.Stages[0].Parameters);
    }

    [Fact]
    public void SeveralFramesWithoutPoolingAreAnErrorThatSaysWhatToSet()
    {
        var d = Assert.Single(Compile("3", "none").Diagnostics);
        Assert.Equal("backbone 'two_level_maps' encodes one image, but the input has 3 frames; set temporal_pooling (mean, max, diff or concat) to run it on each frame and pool the features, or use frames = 1", d.Message);
        Assert.Equal("GEO1022", d.Id);
        Assert.Equal(3, d.Location.Start.Line + 1);
    }

    [Fact]
    public void DiffNeedsExactlyTwoFrames()
    {
        Assert.Single(Compile("2", "diff").Models);
        var d = Assert.Single(Compile("3", "diff").Diagnostics);
        Assert.Contains("diff with 3 frame(s)", d.Message);
    }

    [Fact]
    public void EachFrameIsAForwardPassWhoseActivationsAreKept()
    {
        var one = Assert.Single(Compile("1", "mean").Models).Memory.TrainingBreakdown.Single(i => i.Name == "activations").Bytes;
        var four = Assert.Single(Compile("4", "mean").Models).Memory.TrainingBreakdown.Single(i => i.Name == "activations").Bytes;
        Assert.Equal(3 * 1000 * 8, four - one); // batch 8 × 1000 bytes per extra frame
    }

    [Fact]
    public void PrithviConsumesFramesItselfAndHasNoTemporalPooling()
    {
        var prithvi = ComponentCatalog.Default.FindBackbone("prithvi_eo_v2_300")!;
        Assert.Null(prithvi.FindParameter("temporal_pooling"));
        Assert.NotNull(new TwoLevelMaps().FindParameter("temporal_pooling"));
    }
}
