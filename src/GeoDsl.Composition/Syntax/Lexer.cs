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

            tokens.Add(Next(startsLine));
            startsLine = false;
        }
    }

    private char Current => _position < _end ? _text[_position] : '\0';

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
                _position += 2;
                while (_position < _end && !(Current == '*' && Peek(1) == '/'))
                {
                    crossedLine |= Current == '\n' || Current == '\r';
                    _position++;
                }

                if (_position >= _end)
                {
                    _diagnostics.Report(DiagnosticDescriptors.UnterminatedComment, new TextSpan(start, 2));
                }
                else
                {
                    _position += 2;
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

        if (char.IsDigit(c) || ((c == '-' || c == '+' || c == '.') && (char.IsDigit(Peek(1)) || (Peek(1) == '.' && char.IsDigit(Peek(2))))))
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

        while (char.IsDigit(Current) || Current == '_')
        {
            _position++;
        }

        if (Current == '.' && char.IsDigit(Peek(1)))
        {
            _position++;
            while (char.IsDigit(Current))
            {
                _position++;
            }
        }

        if ((Current == 'e' || Current == 'E') && (char.IsDigit(Peek(1)) || ((Peek(1) == '-' || Peek(1) == '+') && char.IsDigit(Peek(2)))))
        {
            _position += 2;
            while (char.IsDigit(Current))
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
                _diagnostics.Report(DiagnosticDescriptors.UnterminatedString, TextSpan.FromBounds(start, _position));
                return new SyntaxToken(TokenKind.String, TextSpan.FromBounds(start, _position), value.ToString(), startsLine);
            }

            _position++;
            if (c == '"')
            {
                return new SyntaxToken(TokenKind.String, TextSpan.FromBounds(start, _position), value.ToString(), startsLine);
            }

            if (c == '\\' && _position < _end)
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

    private SyntaxToken Make(TokenKind kind, int start, bool startsLine)
    {
        var span = TextSpan.FromBounds(start, _position);
        return new SyntaxToken(kind, span, _text.ToString(span), startsLine);
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string Printable(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
}
