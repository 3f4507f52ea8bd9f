using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>Comments are skipped like whitespace; a block comment that spans lines counts as a line break.</summary>
public sealed class CommentTests
{
    [Fact]
    public void LineCommentRunsToTheEndOfItsLine()
    {
        var lexed = Lexed.From("a // b { c\nd");

        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'd' @11+1" }, lexed.Spans);
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void FileMayStartWithAComment()
    {
        Assert.Equal(new[] { "Identifier 'model' @10+5" }, Lexed.From("// header\nmodel").Spans);
    }

    [Fact]
    public void BlockCommentAcrossLinesIsSkippedAndBreaksTheLine()
    {
        var lexed = Lexed.From("a /* one\ntwo */ b");

        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'b' @16+1" }, lexed.Spans);
        Assert.True(lexed.Tokens[1].StartsLine);
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void BlockCommentWithinALineDoesNotBreakIt()
    {
        var lexed = Lexed.From("a /* x */ b");

        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'b' @10+1" }, lexed.Spans);
        Assert.False(lexed.Tokens[1].StartsLine);
    }

    [Fact]
    public void EmptyAndAdjacentBlockCommentsAreSkipped()
    {
        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'b' @5+1", "Identifier 'c' @20+1" }, Lexed.From("a/**/b /* x */ /**/ c").Spans);
    }

    [Fact]
    public void BlockCommentMarkerInsideALineCommentIsIgnored()
    {
        var lexed = Lexed.From("a // x /* y\nb");

        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'b' @12+1" }, lexed.Spans);
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void BlockCommentsDoNotNest()
    {
        // The first '*/' ends the comment; what follows is text again.
        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'b' @16+1" }, Lexed.From("a /* /* x */ */ b").Spans.Where(s => s.StartsWith("Identifier", StringComparison.Ordinal)));
    }

    [Fact]
    public void CommentOnlyFileCompilesToNothingWithoutDiagnostics()
    {
        var file = GeoModelCompiler.Compile("c.geomodel", "// nothing yet\n/* still\n nothing */\n");

        Assert.Empty(file.Models);
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void CommentsAroundAModelChangeNothingInIt()
    {
        string commented = "// a flood model\n" + Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone /* small */ prithvi_eo_tiny // for tests");

        var plain = TestModels.Single(Diagnosed.Compile(Diagnosed.Valid));
        var withComments = TestModels.Single(Diagnosed.Compile(commented));

        Assert.Equal(plain, withComments);
    }
}
