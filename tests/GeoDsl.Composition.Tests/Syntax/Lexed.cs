using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>The tokens and diagnostics of a text, in forms that compare well in assertions.</summary>
internal sealed class Lexed
{
    private Lexed(SourceText text, List<SyntaxToken> tokens, IReadOnlyList<GeoDiagnostic> diagnostics)
    {
        Text = text;
        Tokens = tokens;
        Diagnostics = diagnostics;
    }

    public SourceText Text { get; }

    /// <summary>Every token, the end-of-file token last.</summary>
    public List<SyntaxToken> Tokens { get; }

    public IReadOnlyList<GeoDiagnostic> Diagnostics { get; }

    public static Lexed From(string text)
    {
        var source = new SourceText(text);
        var sink = new DiagnosticSink("test.geomodel", source);
        return new Lexed(source, new Lexer(source, sink).Lex(), sink.Diagnostics);
    }

    /// <summary>Each token but the last (end of file) as "Kind 'text' @start+length".</summary>
    public string[] Spans => Tokens.Take(Tokens.Count - 1).Select(t => $"{t.Kind} '{t.Text}' @{t.Span.Start}+{t.Span.Length}").ToArray();

    /// <summary>Each token but the last as "Kind (line,column)", one-based.</summary>
    public string[] Positions => Tokens.Take(Tokens.Count - 1).Select(t => $"{t.Kind} {Text.GetPosition(t.Span.Start)}").ToArray();

    /// <summary>The texts of the tokens that start a line.</summary>
    public string[] LineStarts => Tokens.Where(t => t.StartsLine && t.Kind != TokenKind.EndOfFile).Select(t => t.Text).ToArray();

    /// <summary>Each diagnostic as "ID @start+length".</summary>
    public string[] DiagnosticSpans => Diagnostics.Select(d => $"{d.Id} @{d.Location.Span.Start}+{d.Location.Span.Length}").ToArray();
}
