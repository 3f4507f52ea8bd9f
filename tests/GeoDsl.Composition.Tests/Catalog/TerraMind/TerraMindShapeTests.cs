using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.TerraMind;

/// <summary>
/// The front end's TerraMind outputs: one token sequence per block, no class token, h·w tokens of the padded image with
/// patch 16 (backbone-facts.md §A2: 196 at 224 px), width D — or D × image modalities for concat.
/// </summary>
public sealed class TerraMindShapeTests
{
    [Theory]
    [InlineData("terramind_v1_tiny", 12, 192)]
    [InlineData("terramind_v1_small", 12, 384)]
    [InlineData("terramind_v1_base", 12, 768)]
    [InlineData("terramind_v1_large", 24, 1024)]
    public void AtTheDefaultSizeEveryBlockGives196TokensOfWidthD(string backbone, int blocks, int width)
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L2A, backbone));
        var output = TerraMindModels.Backbone(analysis).Output;

        Assert.Equal(FeatureKind.Tokens, output.Kind);
        Assert.Equal(blocks, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(196, width), t));
        Assert.Equal(new TokenLayout(HasClsToken: false, Frames: 1, Rows: 14, Columns: 14), output.Tokens);
    }

    [Fact]
    public void ANonSquareImageGivesItsOwnGrid()
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L2A, size: "[256, 512]"));
        var output = TerraMindModels.Backbone(analysis).Output;

        Assert.Equal(TensorShape.Of(16 * 32, 768), output.Tensors[0]);
        Assert.Equal(16, output.Tokens!.Rows);
        Assert.Equal(32, output.Tokens.Columns);
        Assert.Equal("B×768×16×32", analysis.Trace.Stages.First(s => s.Name == "reshape_tokens_to_image").Output.Tensors[0].ToString());
    }

    [Theory]
    [InlineData("mean", 768)]
    [InlineData("max", 768)]
    [InlineData("concat", 1536)]
    public void ConcatMultipliesTheWidthByTheImageModalities(string merge, int width)
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L1C + ", VV, VH", arguments: $"modalities = [S2L1C, S1GRD], merge_method = {merge}"));
        Assert.All(TerraMindModels.Backbone(analysis).Output.Tensors, t => Assert.Equal(TensorShape.Of(196, width), t));
    }

    [Fact]
    public void ASizeThatIsNotAMultipleOf32WarnsAndIsPadded()
    {
        var file = TerraMindModels.Compile(TerraMindModels.Model(TerraMindModels.S2L2A, size: "200"));
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal("GEO1006", warning.Id);
        Assert.Contains("Use 192 or 224", warning.Message);
        Assert.Equal(TensorShape.Of(196, 768), TerraMindModels.Backbone(Assert.Single(file.Models)).Output.Tensors[0]);
    }

    [Fact]
    public void TheClassTokenCannotBeRemovedBecauseThereIsNone()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model(TerraMindModels.S2L2A, necks: "neck reshape_tokens_to_image"));
        Assert.Equal("GEO1010", error.Id);
        Assert.Contains("terramind_v1_base", error.Message);
    }

    [Fact]
    public void SeveralFramesRunPerFrameWithTemporalPooling()
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD], temporal_pooling = concat", input: ", frames = 3"));
        Assert.Equal(TensorShape.Of(196, 3 * 768), TerraMindModels.Backbone(analysis).Output.Tensors[0]);
    }
}
