using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>A model's sections: which are required, which may repeat, which exist at all; and the auxiliary heads' own.</summary>
public sealed class SectionTests
{
    private static string Aux(string body) => Diagnosed.ValidPlus("aux_head a {\n" + body + "\n    }");

    [Fact]
    public void RepeatedDecoderIsReportedWithTheLineOfTheFirst()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("decoder fcn")), "GEO0023", 9, 5);

        Assert.Equal("Only one decoder is allowed here; this one repeats the decoder at line 7", d.Message);
    }

    [Fact]
    public void RepeatedTrainSectionIsReported()
    {
        string text = Diagnosed.ValidPlus("train { epochs = 5 }\n    train { epochs = 6 }");

        Diagnosed.Single(Diagnosed.Compile(text), "GEO0023", 10, 5);
    }

    [Fact]
    public void NecksMayRepeat()
    {
        Assert.Equal(3, TestModels.Single(Diagnosed.Compile(Diagnosed.Valid)).Spec.Necks.Count);
    }

    [Theory]
    [InlineData("    backbone prithvi_eo_tiny\n", "backbone", "backbone prithvi_eo_v2_300")]
    [InlineData("    decoder unet { channels = [256, 128, 64, 32] }\n", "decoder", "decoder unet { channels = [512, 256, 128, 64] }")]
    [InlineData("    input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }\n", "input", "input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }")]
    public void MissingRequiredSectionIsReportedAtTheModelName(string line, string section, string example)
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith(line, string.Empty)), "GEO0016", 1, 7);

        Assert.Equal($"Model 'M' has no {section}; add one, e.g. '{example}'", d.Message);
    }

    [Fact]
    public void UnknownSectionListsTheValidOnes()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("foo { }")), "GEO0017", 9, 5);

        Assert.Equal("'foo' is not part of model 'M'. Valid here: input, backbone, neck, decoder, head, aux_head, train, target", d.Message);
    }

    [Fact]
    public void MisspelledSectionSuggestsTheClosest()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("traim { batch_size = 8 }")), "GEO0017", 9, 5);

        Assert.StartsWith("'traim' is not part of model 'M'. Did you mean 'train'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingAtModelLevelIsNotASection()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("batch_size = 8")), "GEO0017", 9, 5);

        Assert.StartsWith("'batch_size' is not part of model 'M'.", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetTakesAGpuNameAndOnlyAMemoryBudget()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("target rtx_4090 { memory = 24 }")), "GEO0012", 9, 23);

        Assert.Equal("Target 'rtx_4090' has no argument 'memory'. Its arguments: memory_gib", d.Message);
    }

    [Fact]
    public void InputTakesNoName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("input {", "input hls {")), "GEO0001", 2, 11);

        Assert.Equal("Unexpected 'hls'; expected '{' after 'input'", d.Message);
    }

    [Fact]
    public void AuxiliaryHeadCompilesWithItsDecoder()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Aux("        decoder fcn { num_convs = 1 }\n        weight = 0.5"))).Spec;

        var aux = Assert.Single(spec.AuxiliaryHeads);
        Assert.Equal(("a", "fcn", 0.5), (aux.Name, aux.Decoder.Name, aux.LossWeight));
        Assert.Equal("segmentation", aux.Head.Name);
    }

    [Fact]
    public void AuxiliaryHeadWithoutADecoderNamesTheAuxiliaryHead()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Aux("        weight = 0.5")), "GEO0016", 9, 14);

        Assert.Equal("aux_head 'a' has no decoder; add one, e.g. 'decoder fcn { channels = 256, num_convs = 2 }'", d.Message);
    }

    [Fact]
    public void AuxiliaryHeadWithTwoDecodersIsReported()
    {
        Diagnosed.Single(Diagnosed.Compile(Aux("        decoder fcn\n        decoder fcn { num_convs = 1 }")), "GEO0023", 11, 9);
    }

    [Fact]
    public void AuxiliaryHeadWithAnotherTasksHeadIsReported()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Aux("        decoder fcn { num_convs = 1 }\n        head regression")), "GEO0001", 11, 14);

        Assert.Equal("Unexpected 'regression'; expected 'head { … }' or 'head segmentation { … }': an auxiliary head predicts what the model predicts", d.Message);
    }

    [Fact]
    public void AuxiliaryHeadWithAnUnknownSectionListsItsOwn()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Aux("        decoder fcn { num_convs = 1 }\n        neck select_indices")), "GEO0017", 11, 9);

        Assert.Equal("'neck' is not part of aux_head 'a'. Valid here: decoder, head, weight", d.Message);
    }

    [Fact]
    public void AuxiliaryHeadsWithTheSameNameAreReported()
    {
        string text = Diagnosed.ValidPlus("aux_head a { decoder fcn { num_convs = 1 } }\n    aux_head a { decoder fcn { num_convs = 1 } }");

        Diagnosed.Single(Diagnosed.Compile(text), "GEO0015", 10, 14);
    }

    [Fact]
    public void AuxiliaryHeadNeedsAName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("aux_head { decoder fcn }")), "GEO0022", 9, 5);

        Assert.Equal("'aux_head' names its component, e.g. 'aux_head aux'", d.Message);
    }
}
