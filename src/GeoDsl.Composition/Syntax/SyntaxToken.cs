using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Syntax;

public enum TokenKind
{
    Identifier,
    Number,
    String,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Equals,
    Comma,
    Colon,
    Semicolon,
    Dot,
    EndOfFile,

    /// <summary>A character no token starts with; the lexer has reported it.</summary>
    Bad,

    /// <summary>Inserted by the parser where a token was expected but absent; zero width.</summary>
    Missing,
}

/// <summary>
/// A token with its exact span. <see cref="Text"/> is the source text of <see cref="Span"/>, exactly as written
/// (a string keeps its quotes and escapes); <see cref="ValueText"/> is what it means (a string's contents with
/// the escapes resolved). <see cref="StartsLine"/> records a line break before it: a section's name
/// must stand on the keyword's line, which is how <c>neck reshape_tokens_to_image</c> differs from
/// <c>input</c> followed by <c>backbone</c> on the next line.
/// </summary>
public sealed record SyntaxToken(TokenKind Kind, TextSpan Span, string Text, bool StartsLine)
{
    private readonly string? _value;

    /// <summary>A string's contents with escapes resolved; for every other token, <see cref="Text"/>.</summary>
    public string ValueText
    {
        get => _value ?? Text;
        init => _value = value;
    }

    public bool IsMissing => Kind == TokenKind.Missing;

    public static SyntaxToken Missing(int position) => new(TokenKind.Missing, new TextSpan(position, 0), string.Empty, false);

    public override string ToString() => $"{Kind} '{Text}' {Span}";
}
