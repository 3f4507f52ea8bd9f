using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Binding;

/// <summary>Arguments of components: unknown names, wrong types, ranges, duplicates, required ones and <c>none</c>.</summary>
public sealed class ArgumentTests
{
    private static string Backbone(string arguments) => Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { " + arguments + " }");

    [Fact]
    public void UnknownArgumentSuggestsTheClosestAndListsTheArguments()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("pretraind = true")), "GEO0012", 3, 32);

        Assert.StartsWith(
            "Backbone 'prithvi_eo_tiny' has no argument 'pretraind'. Did you mean 'pretrained'? Its arguments: pretrained, drop_path, out_indices,",
            d.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerWhereAListBelongsSaysHowToWriteIt()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("indices = [0, 1, 2, 3]", "indices = 5")), "GEO0013", 4, 37);

        Assert.StartsWith("'indices' of neck 'select_indices' must be a list", d.Message, StringComparison.Ordinal);
        Assert.EndsWith("got the number 5 (write [5])", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringWhereASizeBelongsIsQuotedInTheMessage()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], size = \"big\" }")), "GEO0013", 2, 76);

        Assert.Equal("'size' of input must be an integer from 1 to 100000 or a [height, width] pair of them; got the string \"big\"", d.Message);
    }

    [Fact]
    public void NumberWhereABooleanBelongsIsAMismatch()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("pretrained = 1")), "GEO0013", 3, 45);

        Assert.Equal("'pretrained' of backbone 'prithvi_eo_tiny' must be true or false; got the number 1", d.Message);
    }

    [Fact]
    public void FractionWhereAnIntegerBelongsIsAMismatch()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { batch_size = 1.5 }")), "GEO0013", 9, 26);

        Assert.Equal("'batch_size' of train must be an integer from 1 to 65536; got the number 1.5", d.Message);
    }

    [Fact]
    public void WrongItemInAListIsReportedAtTheItem()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("[0, 1, 2, 3]", "[0, 1.5, 2, 3]")), "GEO0013", 4, 41);

        Assert.EndsWith("got the number 1.5", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumberAboveItsRangeIsOutOfRange()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("drop_path = 2")), "GEO0014", 3, 44);

        Assert.Equal("'drop_path' of backbone 'prithvi_eo_tiny' must be a number from 0 to 0.99; got 2", d.Message);
    }

    [Fact]
    public void IntegerBelowItsRangeIsOutOfRange()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = 1")), "GEO0014", 8, 39);

        Assert.Equal("'num_classes' of head 'segmentation' must be an integer from 2 to 100000; got 1", d.Message);
    }

    [Fact]
    public void IntegerTooLargeForAnyIntegerIsOutOfRangeNotAMismatch()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { batch_size = 99999999999999999999 }")), "GEO0014", 9, 26);

        Assert.EndsWith("must be an integer from 1 to 65536; got 99999999999999999999", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnboundedIntegerIsStillLimitedToThirtyTwoBits()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { ignore_index = 3000000000 }")), "GEO0014", 9, 28);

        Assert.Equal("'ignore_index' of train must be an integer from -2147483648 to 2147483647; got 3000000000", d.Message);
    }

    [Fact]
    public void NumberTooLargeForADoubleIsOutOfRange()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("SWIR_2] }", "SWIR_2], means = [1e400, 0, 0, 0, 0, 0] }")), "GEO0014", 2, 78);

        Assert.EndsWith("got 1e400 (too large to represent)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListWithTooFewItemsIsOutOfRange()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("[0, 1, 2, 3]", "[]")), "GEO0014", 4, 37);

        Assert.EndsWith("got 0 item(s)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentSetTwiceIsReportedAtTheSecond()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("pretrained = true, pretrained = false")), "GEO0015", 3, 51);

        Assert.Equal("'pretrained' is set twice in backbone 'prithvi_eo_tiny'; keep one", d.Message);
    }

    [Fact]
    public void ArgumentWithoutAValueIsOneError()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("pretrained")), "GEO0001", 3, 32);

        Assert.Equal("Unexpected 'pretrained' without a value; expected 'pretrained = …' (the arguments of backbone 'prithvi_eo_tiny')", d.Message);
    }

    [Fact]
    public void MissingRequiredArgumentIsReportedAtTheComponentName()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("head segmentation { num_classes = 2 }", "head segmentation")), "GEO0020", 8, 10);

        Assert.StartsWith("Head 'segmentation' needs 'num_classes': Classes to predict", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongValueOfARequiredArgumentIsNotAlsoReportedMissing()
    {
        Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = \"two\"")), "GEO0013", 8, 39);
    }

    [Fact]
    public void NoneUnsetsAnOptionalArgument()
    {
        var spec = TestModels.Single(Diagnosed.Compile(Backbone("out_indices = none"))).Spec;

        Assert.Equal(NoneValue.Instance, spec.Backbone.Arguments.Single(a => a.Name == "out_indices").Value);
    }

    [Fact]
    public void NoneCannotUnsetAnArgumentWithADefault()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidPlus("train { batch_size = none }")), "GEO0013", 9, 26);

        Assert.Equal(
            "'batch_size' of train must be an integer from 1 to 65536; got the name 'none' ('none' unsets only optional arguments; leave 'batch_size' out to get its default, 8)",
            d.Message);
    }

    [Fact]
    public void NoneCannotUnsetABooleanWithADefault()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Backbone("pretrained = none")), "GEO0013", 3, 45);

        Assert.EndsWith("leave 'pretrained' out to get its default, false)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoneCannotStandForARequiredArgument()
    {
        var d = Diagnosed.Single(Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = none")), "GEO0013", 8, 39);

        Assert.EndsWith("got the name 'none' ('num_classes' is required)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringValueKeepsItsWholeText()
    {
        string quoted = Diagnosed.ValidWith("[BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]", "[\"BLUE\", \"GREEN\", \"RED\", \"NIR_NARROW\", \"SWIR_1\", \"SWIR_2\"]");

        var spec = TestModels.Single(Diagnosed.Compile(quoted)).Spec;

        Assert.Equal(new[] { "BLUE", "GREEN", "RED", "NIR_NARROW", "SWIR_1", "SWIR_2" }, spec.Input.Bands);
    }

    [Fact]
    public void MistakesInSeveralArgumentsAreEachReported()
    {
        var file = Diagnosed.Compile(Backbone("pretraind = true, drop_path = 2, tubelet_size = x"));

        Assert.Equal(new[] { "GEO0012 (3,32)", "GEO0014 (3,62)", "GEO0013 (3,80)" }, Diagnosed.Positions(file));
    }
}
