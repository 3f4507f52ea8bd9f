using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>Blocks and lists nest at most 32 deep (the model body counts); deeper gives GEO0009, never a stack overflow.</summary>
public sealed class NestingLimitTests
{
    [Fact]
    public void ListsNestedDeeperThanTheLimitGiveOneDiagnosticAtTheFirstTooDeepBracket()
    {
        var parsed = Parsed.From("model M { x = " + new string('[', 40) + "1" + new string(']', 40) + " }");

        // The model body is level 1, so the 32nd bracket (column 15 + 31) opens level 33.
        Assert.Equal(new[] { "GEO0009 (1,46)" }, parsed.Positions);
        Assert.Equal("Blocks and lists nest deeper than 32 levels here; flatten them", parsed.Diagnostics[0].Message);
    }

    [Fact]
    public void ListsNestedToTheLimitAreFine()
    {
        var parsed = Parsed.From("model M { x = " + new string('[', 31) + "1" + new string(']', 31) + " }");

        Assert.Empty(parsed.Diagnostics);
    }

    [Fact]
    public void BlocksNestedDeeperThanTheLimitGiveOneDiagnostic()
    {
        string text = "model M { " + string.Concat(Enumerable.Repeat("a { ", 40)) + string.Concat(Enumerable.Repeat("} ", 40)) + "}";

        // Each "a { " is four characters; the 32nd block's '{' is at offset 10 + 31 * 4 + 2.
        Assert.Equal(new[] { "GEO0009 (1,137)" }, Parsed.From(text).Positions);
    }

    [Fact]
    public void ObjectValuesCountTowardsTheLimit()
    {
        string text = "model M { x = " + string.Concat(Enumerable.Repeat("o { y = ", 40)) + "1" + new string('}', 41);

        Assert.Equal(new[] { "GEO0009" }, Parsed.From(text).Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void HundredThousandOpenBracketsGiveOneNestingDiagnosticAndTheNextModelIsStillChecked()
    {
        string deep = "model M : segmentation {\n    x = " + new string('[', 100_000);

        var file = Diagnosed.Compile(Diagnosed.ThenTypoModel(deep));

        Assert.Single(file.Diagnostics, d => d.Id == "GEO0009");
        Diagnosed.One(file, "GEO0011", Diagnosed.TypoLine(deep), 14);
        Assert.DoesNotContain(file.Diagnostics, d => d.Id is "GEO0007" or "GEO0008" or "GEO9001");
    }

    [Fact]
    public void HundredThousandOpenBlocksGiveOneNestingDiagnosticAndTheNextModelIsStillChecked()
    {
        string deep = "model M : segmentation {\n    " + string.Concat(Enumerable.Repeat("a { ", 100_000));

        var file = Diagnosed.Compile(Diagnosed.ThenTypoModel(deep));

        Assert.Single(file.Diagnostics, d => d.Id == "GEO0009");
        Diagnosed.One(file, "GEO0011", Diagnosed.TypoLine(deep), 14);
        Assert.DoesNotContain(file.Diagnostics, d => d.Id is "GEO0007" or "GEO0008" or "GEO9001");
    }

    [Fact]
    public void TooDeepItemOfAListArgumentIsOneDiagnostic()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("indices = [0, 1, 2, 3]", "indices = " + new string('[', 40) + "0" + new string(']', 40)));

        // Model body, neck block, then lists: the 31st bracket (column 37 + 30) opens level 33. The broken item is not
        // also reported as the wrong type or count.
        Diagnosed.Single(file, "GEO0009", 4, 67);
        Assert.Empty(file.Models);
    }

    [Fact]
    public void TooDeepListWhereANumberBelongsIsAlsoTheWrongType()
    {
        var file = Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = " + new string('[', 40) + "2" + new string(']', 40)));

        // A list is no number at any depth: a second, independent mistake, reported on the whole list.
        Assert.Equal(new[] { "GEO0013 (8,39)", "GEO0009 (8,69)" }, Diagnosed.Positions(file));
        Assert.Equal(81, file.Diagnostics.Single(d => d.Id == "GEO0013").Location.Span.Length);
    }

    [Fact]
    public void DeepMixedNestingInsideAnArgumentDoesNotOverflowTheBinder()
    {
        string deep = string.Concat(Enumerable.Repeat("[o { v = ", 5_000));
        var file = Diagnosed.Compile(Diagnosed.ValidWith("num_classes = 2", "num_classes = " + deep));

        Assert.Single(file.Diagnostics, d => d.Id == "GEO0009");
        Assert.DoesNotContain(file.Diagnostics, d => d.Id == "GEO9001");
        Assert.Empty(file.Models);
    }
}
