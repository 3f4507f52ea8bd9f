using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Memory;

namespace GeoDsl.Composition.Tests.Catalog.TerraMind;

/// <summary>
/// Closed-form parameter counts and activation estimates. The transformer figures (blocks + encoder_norm) reproduce
/// backbone-facts.md §A2's computed 5.3 M, 21.3 M, 85.0 M and 302.0 M exactly as 5,333,952, 21,284,736, 84,953,856 and
/// 301,990,912; each modality adds its bias-free projection C·16²·D and its modality embedding D.
/// </summary>
public sealed class TerraMindCountTests
{
    [Theory]
    [InlineData("terramind_v1_tiny", 5_333_952)]
    [InlineData("terramind_v1_small", 21_284_736)]
    [InlineData("terramind_v1_base", 84_953_856)]
    [InlineData("terramind_v1_large", 301_990_912)]
    public void TheBackboneCountIsTheTransformerPlusOneEmbeddingPerModality(string backbone, long transformer)
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L1C + ", VV, VH", backbone, "modalities = [S2L1C, S1GRD]"));
        long d = ComponentCatalog.Default.FindBackbone(backbone) is TerraMindBackbone t ? t.Variant.Dim : 0;

        Assert.Equal(transformer + (15 * 256 * d) + (2 * d), TerraMindModels.Backbone(analysis).Parameters);
    }

    [Fact]
    public void ConcatAddsTheMissingModalityToken()
    {
        var mean = TerraMindModels.Valid(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD]"));
        var concat = TerraMindModels.Valid(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD], merge_method = concat"));
        Assert.Equal(768, TerraMindModels.Backbone(concat).Parameters - TerraMindModels.Backbone(mean).Parameters);
    }

    [Fact]
    public void FewerBandsGiveANarrowerProjection()
    {
        var all = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L2A));
        var four = TerraMindModels.Valid(TerraMindModels.Model("BLUE, GREEN, RED, NIR_NARROW"));
        Assert.Equal(8 * 256 * 768, TerraMindModels.Backbone(all).Parameters - TerraMindModels.Backbone(four).Parameters);
    }

    [Fact]
    public void TheBlocksAttendOverEveryModalitysTokensSoMoreModalitiesCostMoreMemory()
    {
        var descriptor = (TerraMindBackbone)ComponentCatalog.Default.FindBackbone("terramind_v1_base")!;
        var one = TerraMindModels.Valid(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD]"));
        var two = TerraMindModels.Valid(TerraMindModels.Model("VV, VH, ELEVATION", arguments: "modalities = [S1GRD, DEM]"));
        var settings = ActivationSettings.For(GeoDsl.Composition.Specs.Precision.Fp32, training: true, gradientCheckpointing: false);

        var a = descriptor.EstimateActivations(one.Spec.Input, one.Spec.Backbone.Args, TerraMindModels.Backbone(one).Output, settings);
        var b = descriptor.EstimateActivations(two.Spec.Input, two.Spec.Backbone.Args, TerraMindModels.Backbone(two).Output, settings);

        // Per block the saved activations grow at least linearly with the sequence (392 vs 196 tokens).
        Assert.True(b.SavedBytes > 1.9 * a.SavedBytes, $"{b.SavedBytes} vs {a.SavedBytes}");
        Assert.True(one.Memory.TrainingPeakBytes < two.Memory.TrainingPeakBytes);
    }

    [Fact]
    public void GradientCheckpointingKeepsOnlyEachBlocksInput()
    {
        var descriptor = (TerraMindBackbone)ComponentCatalog.Default.FindBackbone("terramind_v1_large")!;
        var model = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L2A, "terramind_v1_large"));
        var output = TerraMindModels.Backbone(model).Output;
        var full = descriptor.EstimateActivations(model.Spec.Input, model.Spec.Backbone.Args, output, ActivationSettings.For(GeoDsl.Composition.Specs.Precision.Bf16Mixed, true, false));
        var checkpointed = descriptor.EstimateActivations(model.Spec.Input, model.Spec.Backbone.Args, output, ActivationSettings.For(GeoDsl.Composition.Specs.Precision.Bf16Mixed, true, true));
        var inference = descriptor.EstimateActivations(model.Spec.Input, model.Spec.Backbone.Args, output, ActivationSettings.For(GeoDsl.Composition.Specs.Precision.Bf16, false, false));

        Assert.True(checkpointed.SavedBytes < full.SavedBytes / 3);
        Assert.Equal(0, inference.SavedBytes);
        Assert.True(inference.TransientBytes > 0);
    }
}
