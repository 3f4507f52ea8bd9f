using GeoDsl.Composition.Syntax;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>Every token kind keeps its exact span, and its text is the source text of that span.</summary>
public sealed class TokenSpanTests
{
    [Fact]
    public void IdentifiersSpanTheirLettersDigitsAndUnderscores()
    {
        var lexed = Lexed.From("  prithvi_eo_v2_300 _x9 BLUE\tNIR_NARROW");

        Assert.Equal(
            new[] { "Identifier 'prithvi_eo_v2_300' @2+17", "Identifier '_x9' @20+3", "Identifier 'BLUE' @24+4", "Identifier 'NIR_NARROW' @29+10" },
            lexed.Spans);
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void NumbersIncludeTheirSignFractionExponentAndDigitSeparators()
    {
        var lexed = Lexed.From("512 0.1 1e-4 -1 +2 -0.5 .5 1_000 2.5E+3 7e2");

        Assert.Equal(
            new[]
            {
                "Number '512' @0+3", "Number '0.1' @4+3", "Number '1e-4' @8+4", "Number '-1' @13+2", "Number '+2' @16+2",
                "Number '-0.5' @19+4", "Number '.5' @24+2", "Number '1_000' @27+5", "Number '2.5E+3' @33+6", "Number '7e2' @40+3",
            },
            lexed.Spans);
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void NumbersReadAsTheValuesWritten()
    {
        var values = Lexed.From("512 0.1 1e-4 -1 -0.5 .5 1_000 2.5E+3").Tokens
            .Where(t => t.Kind == TokenKind.Number)
            .Select(t => new LiteralSyntax(t).TryGetDouble(out double v) ? v : double.NaN);

        Assert.Equal(new[] { 512, 0.1, 1e-4, -1, -0.5, 0.5, 1000, 2500 }, values);
    }

    [Fact]
    public void NegativeNumberRightAfterEqualsIsOneToken()
    {
        Assert.Equal(new[] { "Identifier 'in_index' @0+8", "Equals '=' @8+1", "Number '-1' @9+2" }, Lexed.From("in_index=-1").Spans);
    }

    [Fact]
    public void DotBeforeADotIsNotANumber()
    {
        // Found by the fuzz tests: "0..05" once made a zero-width number token and the lexer never advanced.
        Assert.Equal(new[] { "Number '0' @0+1", "Dot '.' @1+1", "Number '.05' @2+3" }, Lexed.From("0..05").Spans);
        Assert.Equal(new[] { "Dot '.' @0+1", "Number '.5' @1+2" }, Lexed.From("..5").Spans);
    }

    [Fact]
    public void SignMayPrecedeALeadingDot()
    {
        Assert.Equal(new[] { "Number '-.5' @0+3", "Number '+.5' @4+3" }, Lexed.From("-.5 +.5").Spans);
    }

    [Fact]
    public void OnlyAsciiDigitsMakeNumbers()
    {
        var lexed = Lexed.From("x = \u0663");

        Assert.Equal(new[] { "GEO0004 @4+1" }, lexed.DiagnosticSpans);
    }

    [Fact]
    public void StringsSpanTheirQuotesAndResolveEscapesInTheirValue()
    {
        const string text = """name = "a\"b\\c\nd" "" "x\ty" """;

        var lexed = Lexed.From(text);

        Assert.Equal(
            new[] { "Identifier 'name' @0+4", "Equals '=' @5+1", """String '"a\"b\\c\nd"' @7+12""", """String '""' @20+2""", """String '"x\ty"' @23+6""" },
            lexed.Spans);
        Assert.Equal(new[] { "a\"b\\c\nd", string.Empty, "x\ty" }, lexed.Tokens.Where(t => t.Kind == TokenKind.String).Select(t => t.ValueText));
        Assert.Empty(lexed.Diagnostics);
    }

    [Fact]
    public void CommentMarkersInsideAStringAreText()
    {
        var lexed = Lexed.From("""x = "// not /* a comment" y""");

        Assert.Equal(new[] { "Identifier 'x' @0+1", "Equals '=' @2+1", """String '"// not /* a comment"' @4+21""", "Identifier 'y' @26+1" }, lexed.Spans);
    }

    [Fact]
    public void PunctuationTokensAreOneCharacterWide()
    {
        var lexed = Lexed.From("{ } [ ] = , : ; .");

        Assert.Equal(
            new[]
            {
                "OpenBrace '{' @0+1", "CloseBrace '}' @2+1", "OpenBracket '[' @4+1", "CloseBracket ']' @6+1", "Equals '=' @8+1",
                "Comma ',' @10+1", "Colon ':' @12+1", "Semicolon ';' @14+1", "Dot '.' @16+1",
            },
            lexed.Spans);
    }

    [Fact]
    public void PunctuationNeedsNoSpacesAroundIt()
    {
        Assert.Equal(
            new[] { "Identifier 'a' @0+1", "OpenBrace '{' @1+1", "Identifier 'b' @2+1", "Equals '=' @3+1", "OpenBracket '[' @4+1", "Number '1' @5+1", "Comma ',' @6+1", "Number '2' @7+1", "CloseBracket ']' @8+1", "CloseBrace '}' @9+1" },
            Lexed.From("a{b=[1,2]}").Spans);
    }

    [Fact]
    public void AMemberLineHasTheSpansAnEditorWouldHighlight()
    {
        var lexed = Lexed.From("    neck select_indices { indices = [5, 11] }");

        Assert.Equal(
            new[]
            {
                "Identifier 'neck' @4+4", "Identifier 'select_indices' @9+14", "OpenBrace '{' @24+1", "Identifier 'indices' @26+7", "Equals '=' @34+1",
                "OpenBracket '[' @36+1", "Number '5' @37+1", "Comma ',' @38+1", "Number '11' @40+2", "CloseBracket ']' @42+1", "CloseBrace '}' @44+1",
            },
            lexed.Spans);
    }

    [Fact]
    public void EndOfFileIsAZeroWidthTokenAtTheEnd()
    {
        var end = Lexed.From("model  ").Tokens.Last();

        Assert.Equal(TokenKind.EndOfFile, end.Kind);
        Assert.Equal(7, end.Span.Start);
        Assert.Equal(0, end.Span.Length);
    }

    [Fact]
    public void EveryTokenTextIsTheSourceTextOfItsSpan()
    {
        string text = File.ReadAllText(Path.Combine(TestModels.ModelsDirectory, "sen1floods11_prithvi_300_unet.geomodel"));

        var lexed = Lexed.From(text);

        Assert.Empty(lexed.Diagnostics);
        Assert.All(lexed.Tokens, t => Assert.Equal(text.Substring(t.Span.Start, t.Span.Length), t.Text));
        Assert.DoesNotContain(lexed.Tokens, t => t.Kind == TokenKind.Bad);
    }
}
