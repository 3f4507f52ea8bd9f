using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>Backbone, neck, decoder, head and GPU names resolve against the catalog, with "did you mean" and the known names.</summary>
public sealed class ComponentNameTests
{
    [Fact]
    public void UnknownBackboneSuggestsTheClosestNameAndListsTheKnownOnes()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("prithvi_eo_tiny", "prithvi_eo_v2_30")), "GEO0011", 3, 14);

        Assert.StartsWith("Unknown backbone 'prithvi_eo_v2_30'. Did you mean 'prithvi_eo_v2_300'? Known backbones: prithvi_eo_v2_300, ", d.Message, StringComparison.Ordinal);
        Assert.EndsWith("in all; 'geodsl catalog --kind backbone' lists them)", d.Message, StringComparison.Ordinal);
        Assert.Equal(16, d.Location.Span.Length);
    }

    [Fact]
    public void UnknownNeckSuggestsTheClosestName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("reshape_tokens_to_image", "reshape_token_to_image")), "GEO0011", 5, 10);

        Assert.StartsWith("Unknown neck 'reshape_token_to_image'. Did you mean 'reshape_tokens_to_image'? Known necks: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownDecoderSuggestsTheClosestName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("decoder unet", "decoder unett")), "GEO0011", 7, 13);

        Assert.Equal("Unknown decoder 'unett'. Did you mean 'unet'? Known decoders: fcn, identity, linear, unet, uper_net", d.Message);
    }

    [Fact]
    public void UnknownHeadSuggestsTheClosestName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("head segmentation", "head segmentaton")), "GEO0011", 8, 10);

        Assert.StartsWith("Unknown head 'segmentaton'. Did you mean 'segmentation'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownGpuSuggestsTheClosestName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("target rtx_409")), "GEO0011", 9, 12);

        Assert.StartsWith("Unknown GPU 'rtx_409'. Did you mean 'rtx_4090'? Known GPUs: rtx_4090, ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameDifferingOnlyInCaseIsSuggested()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("prithvi_eo_tiny", "Prithvi_EO_Tiny")), "GEO0011", 3, 14);

        Assert.Contains("Did you mean 'prithvi_eo_tiny'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FarOffNameGetsNoSuggestion()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("prithvi_eo_tiny", "efficientnet_b0")), "GEO0011", 3, 14);

        Assert.DoesNotContain("Did you mean", d.Message, StringComparison.Ordinal);
        Assert.StartsWith("Unknown backbone 'efficientnet_b0'. Known backbones: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComponentSectionWithoutANameSaysHowToNameIt()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone")), "GEO0022", 3, 5);

        Assert.Equal("'backbone' names its component, e.g. 'backbone prithvi_eo_v2_300'", d.Message);
    }

    [Fact]
    public void TargetWithoutAGpuSaysHowToNameIt()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("target")), "GEO0022", 9, 5);

        Assert.Equal("'target' names its component, e.g. 'target rtx_4090'", d.Message);
    }

    [Fact]
    public void UnknownNamesInSeveralSectionsAreEachReported()
    {
        string text = Diagnosed.ValidWith("decoder unet", "decoder unett").Replace("prithvi_eo_tiny", "prithvi_eo_v2_30");

        Assert.Equal(new[] { "GEO0011 (3,14)", "GEO0011 (7,13)" }, Diagnosed.Positions(Diagnosed.Compile(text)));
    }
}
