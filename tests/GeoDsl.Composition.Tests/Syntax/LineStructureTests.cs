using GeoDsl.Composition.Tests.Diagnostics;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>Line breaks: <c>StartsLine</c> (a section's name stands on its keyword's line), and CRLF, CR and LF files
/// give the same lines and columns.</summary>
public sealed class LineStructureTests
{
    [Fact]
    public void FirstTokenOfEachLineStartsALine()
    {
        var lexed = Lexed.From("model M : segmentation {\n    input\n    backbone prithvi_eo_tiny { pretrained = true }\n}");

        Assert.Equal(new[] { "model", "input", "backbone", "}" }, lexed.LineStarts);
    }

    [Fact]
    public void FirstTokenOfTheFileStartsALineAfterLeadingWhitespaceAndComments()
    {
        var lexed = Lexed.From("  /* c */ a b");

        Assert.Equal(new[] { "a" }, lexed.LineStarts);
    }

    [Fact]
    public void LineCommentEndsTheLineItIsOn()
    {
        Assert.Equal(new[] { "a", "b" }, Lexed.From("a // c\nb").LineStarts);
    }

    [Fact]
    public void LfCrLfAndCrAllBreakLines()
    {
        var lexed = Lexed.From("a\nb\r\nc\rd");

        Assert.Equal(new[] { "a", "b", "c", "d" }, lexed.LineStarts);
        Assert.Equal(new[] { "Identifier (1,1)", "Identifier (2,1)", "Identifier (3,1)", "Identifier (4,1)" }, lexed.Positions);
    }

    [Fact]
    public void CrLfFileGivesEveryTokenTheSameLineAndColumnAsItsLfTwin()
    {
        string lf = "// flood model\n/* two\n   lines */\n" + Diagnosed.Valid.Replace("\r\n", "\n");
        string crlf = lf.Replace("\n", "\r\n");

        var fromLf = Lexed.From(lf);
        var fromCrLf = Lexed.From(crlf);

        Assert.Equal(fromLf.Positions, fromCrLf.Positions);
        Assert.Equal(fromLf.LineStarts, fromCrLf.LineStarts);
        Assert.Equal(fromLf.Tokens.Select(t => t.Text), fromCrLf.Tokens.Select(t => t.Text));
    }

    [Fact]
    public void CrLfFileReportsDiagnosticsAtTheSameLineAndColumn()
    {
        string lf = Diagnosed.ValidWith("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { drop_path = 2 }").Replace("\r\n", "\n");

        var fromLf = Diagnosed.Compile(lf);
        var fromCrLf = Diagnosed.Compile(lf.Replace("\n", "\r\n"));

        Diagnosed.Single(fromLf, "GEO0014", 3, 44);
        Diagnosed.Single(fromCrLf, "GEO0014", 3, 44);
        Assert.Equal(fromLf.Diagnostics[0].Message, fromCrLf.Diagnostics[0].Message);
    }

    [Fact]
    public void CrLfFileCompilesToTheSameSpec()
    {
        string lf = Diagnosed.Valid.Replace("\r\n", "\n");

        var fromLf = TestModels.Single(Diagnosed.Compile(lf));
        var fromCrLf = TestModels.Single(Diagnosed.Compile(lf.Replace("\n", "\r\n")));

        Assert.Equal(fromLf, fromCrLf);
    }

    [Fact]
    public void UnterminatedStringStopsBeforeTheCarriageReturn()
    {
        var lexed = Lexed.From("x = \"abc\r\ny = 1");

        Assert.Equal(new[] { "GEO0002 @4+4" }, lexed.DiagnosticSpans);
        Assert.Equal(new[] { "x", "y" }, lexed.LineStarts);
    }

    [Fact]
    public void SectionNameOnTheNextLineIsANewMember()
    {
        var file = Parsed.From("model M : segmentation {\n    input\n    backbone prithvi_eo_tiny\n}");

        var members = Assert.IsType<GeoDsl.Composition.Syntax.ModelSyntax>(Assert.Single(file.Syntax.Models)).Body.Members;
        Assert.Equal(new[] { "input ", "backbone prithvi_eo_tiny" }, members.Cast<GeoDsl.Composition.Syntax.SectionSyntax>().Select(s => s.Keyword.Text + " " + s.Name?.Text));
    }
}
