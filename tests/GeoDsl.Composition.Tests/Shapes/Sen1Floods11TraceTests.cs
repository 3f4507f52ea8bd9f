using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Shapes;

/// <summary>
/// The derived shape trace of TerraTorch's Sen1Floods11 example (terratorch-facts.md §6): 512×512×6 →
/// 24×[B,1025,1024] → SelectIndices 4×[B,1025,1024] → ReshapeTokensToImage 4×[B,1024,32,32] →
/// LearnedInterpolateToPyramidal [256@128², 512@64², 1024@32², 1024@16²] → UNetDecoder [B,64,256,256] →
/// SegmentationHead [B,2,256,256] → rescale [B,2,512,512].
/// </summary>
public sealed class Sen1Floods11TraceTests
{
    private static readonly ShapeTrace Trace = TestModels.Single(TestModels.CompileReference("sen1floods11_prithvi_300_unet.geomodel")).Trace;

    private static string[] Outputs(int stage) => Trace.Stages[stage].Output.Tensors.Select(t => t.ToString()).ToArray();

    [Fact]
    public void BackboneEmitsTwentyFourTokenSequencesWithTheClassToken() =>
        Assert.Equal(Enumerable.Repeat("B×1025×1024", 24), Outputs(0));

    [Fact]
    public void SelectIndicesKeepsFourOfThem() =>
        Assert.Equal(Enumerable.Repeat("B×1025×1024", 4), Outputs(1));

    [Fact]
    public void ReshapeTokensToImageGivesFourMapsOnTheThirtyTwoGrid() =>
        Assert.Equal(Enumerable.Repeat("B×1024×32×32", 4), Outputs(2));

    [Fact]
    public void LearnedInterpolationBuildsTheFourLevelPyramid() =>
        Assert.Equal(new[] { "B×256×128×128", "B×512×64×64", "B×1024×32×32", "B×1024×16×16" }, Outputs(3));

    [Fact]
    public void UNetDecoderOutputsSixtyFourChannelsAtHalfTheInputSize() =>
        Assert.Equal(new[] { "B×64×256×256" }, Outputs(4));

    [Fact]
    public void SegmentationHeadPredictsTwoClasses() =>
        Assert.Equal(new[] { "B×2×256×256" }, Outputs(5));

    [Fact]
    public void OutputIsRescaledToTheInputSize() =>
        Assert.Equal(new[] { "B×2×512×512" }, Outputs(6));

    [Fact]
    public void StagesAreInModelOrder() =>
        Assert.Equal(
            new[] { "backbone prithvi_eo_v2_300", "neck select_indices", "neck reshape_tokens_to_image", "neck learned_interpolate_to_pyramidal", "decoder unet", "head segmentation", "output rescale", "aux_decoder fcn", "aux_head aux_head" },
            Trace.Stages.Select(s => s.Kind + " " + s.Name));

    [Fact]
    public void AuxiliaryFcnHeadDecodesTheLastPyramidLevel() =>
        Assert.Equal("B×256×64×64", Trace.Stages[7].Output.Tensors[0].ToString());
}
