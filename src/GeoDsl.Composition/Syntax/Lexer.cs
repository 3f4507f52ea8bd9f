using System.Collections.Generic;
using System.Text;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Syntax;

/// <summary>
/// Splits <c>.geomodel</c> text into tokens. Whitespace and comments (<c>// …</c>, <c>/* … */</c>) are skipped;
/// every token keeps its exact span. Lexical errors are reported once and lexing continues.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _text;
    private readonly DiagnosticSink _diagnostics;
    private readonly int _end;
    private int _position;
    private int _noCommentCloseFrom = int.MaxValue;

    /// <summary>Lexes <paramref name="text"/> from <paramref name="start"/> to <paramref name="end"/> (default: all of it).
    /// A range keeps spans in the enclosing file's coordinates, e.g. for a fragment inside a C# attribute.</summary>
    public Lexer(SourceText text, DiagnosticSink diagnostics, int start = 0, int end = -1)
    {
        _text = text;
        _diagnostics = diagnostics;
        _position = start;
        _end = end < 0 ? text.Length : end;
    }

    public List<SyntaxToken> Lex()
    {
        var tokens = new List<SyntaxToken>();
        bool startsLine = true;
        while (true)
        {
            startsLine |= SkipTrivia();
            if (_position >= _end)
            {
                tokens.Add(new SyntaxToken(TokenKind.EndOfFile, new TextSpan(_end, 0), string.Empty, true));
                return tokens;
            }

            int before = _position;
            tokens.Add(Next(startsLine));
            if (_position <= before)
            {
                // Every token consumes text; anything else would loop forever (GEO9001 is better than a hang).
                throw new System.InvalidOperationException($"The lexer made no progress at offset {before}.");
            }

            startsLine = false;
        }
    }

    private char Current => _position < _end ? _text[_position] : '\0';

    /// <summary>The offset of the first "*/" at or after <paramref name="from"/>, or -1. Once the end has been
    /// searched in vain, later comments are known to be unterminated too (no quadratic rescans).</summary>
    private int FindCommentClose(int from)
    {
        if (from >= _noCommentCloseFrom)
        {
            return -1;
        }

        for (int i = from; i + 1 < _end; i++)
        {
            if (_text[i] == '*' && _text[i + 1] == '/')
            {
                return i;
            }
        }

        _noCommentCloseFrom = from;
        return -1;
    }

    private char Peek(int ahead) => _position + ahead < _end ? _text[_position + ahead] : '\0';

    /// <summary>Skips whitespace and comments; true when a line break was crossed.</summary>
    private bool SkipTrivia()
    {
        bool crossedLine = false;
        while (_position < _end)
        {
            char c = Current;
            if (c == '\n' || c == '\r')
            {
                crossedLine = true;
                _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_position < _end && Current != '\n' && Current != '\r')
                {
                    _position++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                int start = _position;
                int close = FindCommentClose(start + 2);
                if (close < 0)
                {
                    // Unterminated: report it once and end the comment with its line, so the rest of the file is
                    // still read (one mistake, one diagnostic) rather than silently swallowed.
                    _diagnostics.Report(DiagnosticDescriptors.UnterminatedComment, new TextSpan(start, 2));
                    _position += 2;
                    while (_position < _end && Current != '\n' && Current != '\r')
                    {
                        _position++;
                    }
                }
                else
                {
                    for (int i = start + 2; i < close; i++)
                    {
                        crossedLine |= _text[i] == '\n' || _text[i] == '\r';
                    }

                    _position = close + 2;
                }
            }
            else
            {
                break;
            }
        }

        return crossedLine;
    }

    private SyntaxToken Next(bool startsLine)
    {
        int start = _position;
        char c = Current;
        TokenKind? single = c switch
        {
            '{' => TokenKind.OpenBrace,
            '}' => TokenKind.CloseBrace,
            '[' => TokenKind.OpenBracket,
            ']' => TokenKind.CloseBracket,
            '=' => TokenKind.Equals,
            ',' => TokenKind.Comma,
            ':' => TokenKind.Colon,
            ';' => TokenKind.Semicolon,
            _ => null,
        };
        if (single is { } kind)
        {
            _position++;
            return Make(kind, start, startsLine);
        }

        if (IsIdentifierStart(c))
        {
            while (IsIdentifierPart(Current))
            {
                _position++;
            }

            return Make(TokenKind.Identifier, start, startsLine);
        }

        // 5, .5, -5, +5, -.5: a sign may precede a leading dot, but a dot may not (".." is not a number).
        if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))
            || ((c == '-' || c == '+') && (IsDigit(Peek(1)) || (Peek(1) == '.' && IsDigit(Peek(2))))))
        {
            return LexNumber(start, startsLine);
        }

        if (c == '.')
        {
            _position++;
            return Make(TokenKind.Dot, start, startsLine);
        }

        if (c == '"')
        {
            return LexString(start, startsLine);
        }

        _position++;
        _diagnostics.Report(DiagnosticDescriptors.UnexpectedCharacter, new TextSpan(start, 1), Printable(c));
        return Make(TokenKind.Bad, start, startsLine);
    }

    private SyntaxToken LexNumber(int start, bool startsLine)
    {
        if (Current == '-' || Current == '+')
        {
            _position++;
        }

        while (IsDigit(Current) || Current == '_')
        {
            _position++;
        }

        if (Current == '.' && IsDigit(Peek(1)))
        {
            _position++;
            while (IsDigit(Current))
            {
                _position++;
            }
        }

        if ((Current == 'e' || Current == 'E') && (IsDigit(Peek(1)) || ((Peek(1) == '-' || Peek(1) == '+') && IsDigit(Peek(2)))))
        {
            _position += 2;
            while (IsDigit(Current))
            {
                _position++;
            }
        }

        // "12px" or "3x": one token, so the parser reports one problem for it rather than two.
        if (IsIdentifierStart(Current))
        {
            while (IsIdentifierPart(Current))
            {
                _position++;
            }

            _diagnostics.Report(DiagnosticDescriptors.MalformedNumber, TextSpan.FromBounds(start, _position), _text.ToString(TextSpan.FromBounds(start, _position)));
            return Make(TokenKind.Bad, start, startsLine);
        }

        return Make(TokenKind.Number, start, startsLine);
    }

    private SyntaxToken LexString(int start, bool startsLine)
    {
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            char c = Current;
            if (_position >= _end || c == '\n' || c == '\r')
            {
                return Unterminated(start, startsLine);
            }

            _position++;
            if (c == '"')
            {
                var span = TextSpan.FromBounds(start, _position);
                return new SyntaxToken(TokenKind.String, span, _text.ToString(span), startsLine) { ValueText = value.ToString() };
            }

            if (c == '\\' && _position < _end && Current != '\n' && Current != '\r')
            {
                char escaped = Current;
                _position++;
                value.Append(escaped switch { 'n' => '\n', 't' => '\t', _ => escaped });
            }
            else
            {
                value.Append(c);
            }
        }
    }

    /// <summary>
    /// A string without its closing quote ends at its line's end, or just before the first '}' or ']' in it: in
    /// <c>{ name = "abc }</c> the brace most likely closes the block, and leaving it there keeps one mistake to one
    /// diagnostic. The token is <see cref="TokenKind.Bad"/>: reported here, so nothing downstream reports it again.
    /// </summary>
    private SyntaxToken Unterminated(int start, bool startsLine)
    {
        int end = start + 1;
        while (end < _position && _text[end] != '}' && _text[end] != ']')
        {
            end++;
        }

        while (end > start + 1 && char.IsWhiteSpace(_text[end - 1]))
        {
            end--;
        }

        _position = end;
        _diagnostics.Report(DiagnosticDescriptors.UnterminatedString, TextSpan.FromBounds(start, end));
        return Make(TokenKind.Bad, start, startsLine);
    }

    private SyntaxToken Make(TokenKind kind, int start, bool startsLine)
    {
        var span = TextSpan.FromBounds(start, _position);
        return new SyntaxToken(kind, span, _text.ToString(span), startsLine);
    }

    /// <summary>ASCII digits only: numbers are parsed with the invariant culture, which knows no others.</summary>
    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string Printable(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
}
