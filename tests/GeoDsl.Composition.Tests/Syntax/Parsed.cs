using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Tests.Syntax;

/// <summary>A parsed text: its syntax tree and the lexer's and parser's diagnostics (no binding).</summary>
internal sealed class Parsed
{
    private Parsed(SourceText text, GeoModelFileSyntax syntax, IReadOnlyList<GeoDiagnostic> diagnostics)
    {
        Text = text;
        Syntax = syntax;
        Diagnostics = diagnostics;
    }

    public SourceText Text { get; }

    public GeoModelFileSyntax Syntax { get; }

    public IReadOnlyList<GeoDiagnostic> Diagnostics { get; }

    /// <summary>Each diagnostic as "ID (line,column)".</summary>
    public string[] Positions => Diagnostics.Select(Tests.Diagnostics.Diagnosed.Position).ToArray();

    public ModelSyntax Model => Assert.Single(Syntax.Models);

    public static Parsed From(string text)
    {
        var source = new SourceText(text);
        var sink = new DiagnosticSink("test.geomodel", source);
        return new Parsed(source, Parser.ParseFile(source, sink), sink.Diagnostics);
    }

    /// <summary>The source text a node spans.</summary>
    public string TextOf(SyntaxNode node) => Text.ToString(node.Span);
}
