using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>
/// One mistake gives one diagnostic, and the rest of the file is still checked: every case below has exactly one
/// syntax diagnostic, and a second model after it reports its own, independent mistake (the backbone
/// <c>prithvi_eo_v2_30</c>). A model with a syntax error yields no spec.
/// </summary>
public sealed class ErrorRecoveryTests
{
    [Fact]
    public void MissingValueAfterEqualsIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { drop_path = }"),
            "GEO0006 (3,42)");

        Assert.StartsWith("'drop_path =' must be followed by a value", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValueAtTheEndOfALineIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("head segmentation { num_classes = 2 }", "head segmentation {\n        num_classes =\n    }"),
            "GEO0006 (9,21)");
    }

    [Fact]
    public void StrayTokenInTheMiddleOfABlockIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("    neck reshape_tokens_to_image", "    ]\n    neck reshape_tokens_to_image"),
            "GEO0001 (5,5)");

        Assert.StartsWith("Unexpected ']'; expected a setting", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingClosingBraceBeforeTheNextModelIsOneError()
    {
        string withoutBrace = Diagnosed.Valid.Substring(0, Diagnosed.Valid.LastIndexOf('}')).TrimEnd();

        var d = Diagnosed.OneMistakeThenTypo(withoutBrace, "GEO0007 (1,24)");

        Assert.Equal("The '{' opened on line 1 is never closed; add '}'", d.Message);
    }

    [Fact]
    public void MissingClosingBraceOfAComponentBlockIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { pretrained = true"),
            "GEO0007 (3,30)");

        Assert.Contains("opened on line 3", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingClosingBraceInsideAnAuxiliaryHeadIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("head segmentation { num_classes = 2 }", "head segmentation { num_classes = 2 }\n    aux_head aux {\n        decoder fcn { channels = 64\n        head { dropout = 0.1 }\n    }"),
            "GEO0007 (10,21)");
    }

    [Fact]
    public void UnclosedListOnOneLineIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("indices = [0, 1, 2, 3] }", "indices = [0, 1, 2, 3 }"),
            "GEO0008 (4,37)");

        Assert.Equal("This list has no closing ']'", d.Message);
    }

    [Fact]
    public void UnclosedListBeforeTheNextSettingIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith(
                "    input { bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2] }",
                "    input {\n        bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2\n        size = 224\n    }"),
            "GEO0008 (3,17)");
    }

    [Fact]
    public void UnclosedListBeforeTheClosingBraceOnTheNextLineIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(
            Diagnosed.ValidWith("decoder unet { channels = [256, 128, 64, 32] }", "decoder unet {\n        channels = [256, 128, 64, 32\n    }"),
            "GEO0008 (8,20)");
    }

    [Fact]
    public void MissingModelNameIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("model M :", "model :"), "GEO0001 (1,7)");

        Assert.Equal("Unexpected ':'; expected a model name, e.g. 'model FloodMapper : segmentation'", d.Message);
    }

    [Fact]
    public void MissingModelNameAndTaskIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("model M : segmentation {", "model {"), "GEO0001 (1,7)");
    }

    [Fact]
    public void MissingColonBeforeTheTaskIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("model M : segmentation", "model M segmentation"), "GEO0001 (1,9)");

        Assert.Contains("expected ':' before the task, e.g. 'model M : segmentation'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOpeningBraceOfTheModelIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("model M : segmentation {", "model M : segmentation"), "GEO0001 (2,5)");

        Assert.Equal("Unexpected 'input'; expected '{'", d.Message);
    }

    [Fact]
    public void MissingOpeningBraceStillChecksTheModelsMembers()
    {
        string text = Diagnosed.ValidWith("model M : segmentation {", "model M : segmentation").Replace("prithvi_eo_tiny", "prithvi_eo_tinyy");

        Assert.Equal(new[] { "GEO0001 (2,5)", "GEO0011 (3,14)" }, Diagnosed.Positions(Diagnosed.Compile(text)));
    }

    [Fact]
    public void ExtraNameAfterASectionIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny junk"), "GEO0001 (3,30)");

        Assert.Equal("Unexpected 'junk'; expected a new line, ',' or '}'", d.Message);
    }

    [Fact]
    public void ExtraValueAfterASettingIsOneError()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("num_classes = 2", "num_classes = 2 2"), "GEO0001 (8,41)");

        Assert.StartsWith("Unexpected the number 2;", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraTokensAfterABlockAreOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("num_classes = 2 }", "num_classes = 2 } = 3 ]"), "GEO0001 (8,43)");
    }

    [Fact]
    public void UnterminatedStringIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { pretrained = \"true }"), "GEO0002 (3,45)");
    }

    [Fact]
    public void UnterminatedCommentIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny /* small"), "GEO0003 (3,30)");
    }

    [Fact]
    public void StrayCharacterBeforeASectionIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "@backbone prithvi_eo_tiny"), "GEO0004 (3,5)");
    }

    [Fact]
    public void StrayCharacterBeforeAValueIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("num_classes = 2", "num_classes = @2"), "GEO0004 (8,39)");
    }

    [Fact]
    public void StrayCharacterInsteadOfAValueIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("num_classes = 2", "num_classes = #"), "GEO0004 (8,39)");
    }

    [Fact]
    public void StrayCharacterInAListIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("[0, 1, 2, 3]", "[0, 1, $, 2, 3]"), "GEO0004 (4,44)");
    }

    [Fact]
    public void BrokenItemOfASizeIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], size = [224, 22x] }"), "GEO0005 (2,82)");
    }

    [Fact]
    public void MalformedNumberIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("num_classes = 2", "num_classes = 2px"), "GEO0005 (8,39)");
    }

    [Fact]
    public void MalformedNumberInAListIsOneError()
    {
        Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("[256, 128, 64, 32]", "[256, 128, 64, 32x]"), "GEO0005 (7,46)");
    }

    [Fact]
    public void SectionWrittenAsASettingIsOneErrorAndIsStillChecked()
    {
        var d = Diagnosed.OneMistakeThenTypo(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone = prithvi_eo_tiny"), "GEO0001 (3,14)");

        Assert.Equal("Unexpected '='; expected 'backbone prithvi_eo_tiny': a section takes no '='", d.Message);
    }

    [Fact]
    public void SectionWrittenAsASettingStillHasItsNameChecked()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone = prithvi_eo_tinyy { drop_path = 0.1 }"));

        Assert.Equal(new[] { "GEO0001 (3,14)", "GEO0011 (3,16)" }, Diagnosed.Positions(file));
    }

    [Fact]
    public void StrayTokensBetweenModelsDoNotSpoilTheModelsAround()
    {
        var file = Diagnosed.Compile(Diagnosed.ThenTypoModel(Diagnosed.Valid + "\n} ]"));

        Assert.Equal(new[] { "GEO0001 (10,1)", "GEO0011 (13,14)" }, Diagnosed.Positions(file));
        Assert.StartsWith("Unexpected '}'; expected 'model Name : task { … }'", file.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("M", Assert.Single(file.Models).Spec.Name);
    }

    [Fact]
    public void StrayTokenRightAfterAModelsBraceLeavesTheModelValid()
    {
        var file = Diagnosed.Compile(Diagnosed.Valid + "]");

        Diagnosed.Single(file, "GEO0001", 9, 2);
        Assert.Equal("M", Assert.Single(file.Models).Spec.Name);
    }

    [Fact]
    public void ModelWithASyntaxErrorYieldsNoSpecEvenWhenEverythingBinds()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("    neck reshape_tokens_to_image", "    neck reshape_tokens_to_image ]"));

        Diagnosed.Single(file, "GEO0001", 5, 34);
        Assert.Empty(file.Models);
    }

    [Fact]
    public void OnlyTheModelWithTheSyntaxErrorIsLeftOut()
    {
        string second = Diagnosed.Valid.Replace("model M", "model Other");

        var file = Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = 2,,; ]") + "\n" + second);

        Diagnosed.Single(file, "GEO0001", 8, 44);
        Assert.Equal("Other", Assert.Single(file.Models).Spec.Name);
    }
}
