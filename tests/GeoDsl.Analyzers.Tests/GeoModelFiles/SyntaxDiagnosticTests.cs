using GeoDsl.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>GEO0001–GEO0009: the analyzer reports lexer and parser mistakes where they are written.</summary>
public sealed class SyntaxDiagnosticTests
{
    [Fact]
    public Task AValidModelHasNoDiagnostics() => TestHelper.AnalyzeModelAsync(Models.Valid);

    [Fact]
    public Task AnUnexpectedTokenIsReportedOnTheToken() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = 2 {|GEO0001:3|}"));

    [Fact]
    public Task AnUnterminatedStringIsReportedFromItsQuote() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = {|GEO0002:\"two|}"));

    [Fact]
    public Task AnUnterminatedCommentIsReportedAtItsStart() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("head segmentation { num_classes = 2 }", "head segmentation { num_classes = 2 } {|GEO0003:/*|} never closed"));

    [Fact]
    public Task AStrayCharacterIsReportedAlone() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = 2 {|GEO0004:$|}"));

    [Fact]
    public Task ANumberWithAUnitIsMalformed() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("num_classes = 2", "num_classes = {|GEO0005:2x|}"));

    [Fact]
    public Task AnUnclosedListIsReportedOnItsBracket() =>
        TestHelper.AnalyzeModelAsync(Models.ValidWith("indices = [0, 1, 2, 3] }", "indices = {|GEO0008:[|}0, 1, 2, 3 }"));

    [Fact]
    public Task NestingDeeperThanTheParserAllowsIsReportedOnceAtTheLimit()
    {
        // "[|" is markup itself, so the bracket past the limit is located by line and column instead.
        string text = Models.ValidWith("num_classes = 2", "num_classes = " + new string('[', 40) + "2" + new string(']', 40));
        // The model's and the head's braces are two of the 32 levels: the list's 31st bracket is the 33rd level.
        int at = text.IndexOf(new string('[', 40), StringComparison.Ordinal) + 30;
        int line = text[..at].Count(c => c == '\n') + 1;
        int column = at - text.LastIndexOf('\n', at - 1);
        return TestHelper.AnalyzeModelAsync(
            text,
            new DiagnosticResult("GEO0009", DiagnosticSeverity.Error).WithSpan(TestHelper.ModelPath, line, column, line, column + 1),
            // The list is also the wrong type for num_classes: a second, independent mistake.
            new DiagnosticResult("GEO0013", DiagnosticSeverity.Error).WithSpan(TestHelper.ModelPath, line, column - 30, line, column - 30 + 81));
    }

    [Fact]
    public Task FilesThatAreNotGeoModelsAreIgnored() => TestHelper.AnalyzeFilesAsync(
        new[] { ("/project/notes.txt", "model M : segmentaton { $ }"), ("/project/model.GEOMODEL", Models.ValidWith("num_classes = 2", "num_classes = {|GEO0005:2x|}")) },
        messageCheck: null);
}
