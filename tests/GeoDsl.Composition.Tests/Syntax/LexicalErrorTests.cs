namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>Each lexical error gives exactly one diagnostic with the right span, and lexing goes on.</summary>
public sealed class LexicalErrorTests
{
    [Fact]
    public void UnterminatedStringEndsAtItsLineAndTheNextLineIsRead()
    {
        var lexed = Lexed.From("a = \"abc\nb = 1");

        Assert.Equal(new[] { "GEO0002 @4+4" }, lexed.DiagnosticSpans);
        Assert.Contains("no closing quote", lexed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(
            new[] { "Identifier 'a' @0+1", "Equals '=' @2+1", "Bad '\"abc' @4+4", "Identifier 'b' @9+1", "Equals '=' @11+1", "Number '1' @13+1" },
            lexed.Spans);
    }

    [Fact]
    public void UnterminatedStringLeavesTheClosingBraceToItsBlock()
    {
        var lexed = Lexed.From("x { a = \"abc }");

        Assert.Equal(new[] { "GEO0002 @8+4" }, lexed.DiagnosticSpans);
        Assert.Equal("CloseBrace '}' @13+1", lexed.Spans.Last());
    }

    [Fact]
    public void UnterminatedStringAtTheEndOfTheFileSpansToTheEnd()
    {
        Assert.Equal(new[] { "GEO0002 @4+4" }, Lexed.From("a = \"abc").DiagnosticSpans);
    }

    [Fact]
    public void BackslashAtTheEndOfALineDoesNotJoinTheLines()
    {
        var lexed = Lexed.From("a = \"abc\\\nb");

        Assert.Equal(new[] { "GEO0002 @4+5" }, lexed.DiagnosticSpans);
        Assert.Equal(new[] { "a", "b" }, lexed.LineStarts);
    }

    [Fact]
    public void UnterminatedCommentIsReportedAtItsOpeningAndTheNextLineIsRead()
    {
        var lexed = Lexed.From("a /* b\nc");

        Assert.Equal(new[] { "GEO0003 @2+2" }, lexed.DiagnosticSpans);
        Assert.Contains("'*/'", lexed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "Identifier 'a' @0+1", "Identifier 'c' @7+1" }, lexed.Spans);
        Assert.True(lexed.Tokens[1].StartsLine);
    }

    [Fact]
    public void ManyUnterminatedCommentsAreEachReportedOnce()
    {
        string text = string.Concat(Enumerable.Repeat("x /* open\n", 2000));

        var lexed = Lexed.From(text);

        Assert.Equal(2000, lexed.Diagnostics.Count(d => d.Id == "GEO0003"));
        Assert.Equal(2000, lexed.Tokens.Count(t => t.Text == "x"));
    }

    [Fact]
    public void StrayCharacterIsReportedAndSkipped()
    {
        var lexed = Lexed.From("a @ b");

        Assert.Equal(new[] { "GEO0004 @2+1" }, lexed.DiagnosticSpans);
        Assert.Contains("'@'", lexed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "Identifier 'a' @0+1", "Bad '@' @2+1", "Identifier 'b' @4+1" }, lexed.Spans);
    }

    [Fact]
    public void ControlCharacterIsNamedByItsCodePoint()
    {
        var lexed = Lexed.From("a \u0007 b");

        Assert.Equal(new[] { "GEO0004 @2+1" }, lexed.DiagnosticSpans);
        Assert.Contains("U+0007", lexed.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12px", 4)]
    [InlineData("3x", 2)]
    [InlineData("1e", 2)]
    [InlineData("0.5m", 4)]
    [InlineData("-2abc_d", 7)]
    public void NumberRunningIntoLettersIsOneMalformedNumber(string written, int length)
    {
        var lexed = Lexed.From("size = " + written + " }");

        Assert.Equal(new[] { $"GEO0005 @7+{length}" }, lexed.DiagnosticSpans);
        Assert.Contains($"'{written}' is not a number", lexed.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "Identifier 'size' @0+4", "Equals '=' @5+1", $"Bad '{written}' @7+{length}", $"CloseBrace '}}' @{8 + length}+1" }, lexed.Spans);
    }

    [Fact]
    public void EachLexicalErrorIsReportedOnceAndLexingContinues()
    {
        var lexed = Lexed.From("a = \"abc\nb = 12px\nc = @\nd = 1");

        Assert.Equal(new[] { "GEO0002 @4+4", "GEO0005 @13+4", "GEO0004 @22+1" }, lexed.DiagnosticSpans);
        Assert.Equal(new[] { "Identifier 'd' @24+1", "Equals '=' @26+1", "Number '1' @28+1" }, lexed.Spans.TakeLast(3));
    }

    [Fact]
    public void LexicalErrorPositionsAreReportedAsLineAndColumn()
    {
        var lexed = Lexed.From("a = 1\n  b = @");

        var d = Assert.Single(lexed.Diagnostics);
        Assert.Equal("(2,7)", d.Location.Start.ToString());
        Assert.Equal("(2,8)", d.Location.End.ToString());
    }
}
