using System.Collections.Generic;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Syntax;

/// <summary>
/// Recursive-descent parser for <c>.geomodel</c> files. On an error it reports once, skips to the next
/// line or closing brace, and goes on, so one mistake gives one diagnostic and the rest is still checked.
/// </summary>
public sealed class Parser
{
    /// <summary>Deeper nesting is reported, not recursed into: no input may overflow the stack.</summary>
    private const int MaxDepth = 32;

    private readonly List<SyntaxToken> _tokens;
    private readonly DiagnosticSink _diagnostics;
    private int _index;
    private int _depth;
    private int _lastErrorAt = -1;

    private Parser(List<SyntaxToken> tokens, DiagnosticSink diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses a whole file.</summary>
    public static GeoModelFileSyntax ParseFile(SourceText text, DiagnosticSink diagnostics)
    {
        var parser = new Parser(new Lexer(text, diagnostics).Lex(), diagnostics);
        return parser.ParseFile();
    }

    /// <summary>
    /// Parses a list of members (<c>a = 1, b = [2, 3]</c>) from a range of <paramref name="text"/>, as written in a
    /// C# attribute argument; spans stay in the enclosing file's coordinates.
    /// </summary>
    public static IReadOnlyList<MemberSyntax> ParseMembers(SourceText text, int start, int end, DiagnosticSink diagnostics)
    {
        var parser = new Parser(new Lexer(text, diagnostics, start, end).Lex(), diagnostics);
        var members = new List<MemberSyntax>();
        while (true)
        {
            parser.SkipSeparators();
            var token = parser.Current;
            if (token.Kind == TokenKind.EndOfFile)
            {
                return members;
            }

            if (token.Kind == TokenKind.CloseBrace)
            {
                parser.Error(DiagnosticDescriptors.UnexpectedToken, token, "'}'", "an argument such as 'lr = 1e-4'");
                parser._index++;
                continue;
            }

            if (parser.ParseMember(allowSectionName: true) is { } member)
            {
                members.Add(member);
            }
        }
    }

    private SyntaxToken Current => _tokens[_index];

    private SyntaxToken Take()
    {
        var token = Current;
        if (token.Kind != TokenKind.EndOfFile)
        {
            _index++;
        }

        return token;
    }

    private bool IsKeyword(SyntaxToken token, string keyword) => token.Kind == TokenKind.Identifier && token.Text == keyword;

    private GeoModelFileSyntax ParseFile()
    {
        NamespaceSyntax? ns = null;
        if (IsKeyword(Current, "namespace"))
        {
            ns = ParseNamespace();
        }

        var models = new List<ModelSyntax>();
        while (Current.Kind != TokenKind.EndOfFile)
        {
            if (IsKeyword(Current, "model"))
            {
                models.Add(ParseModel());
                continue;
            }

            var stray = Current;
            Error(DiagnosticDescriptors.UnexpectedToken, stray, Describe(stray), "'model Name : task { … }'");
            // Skip to the next line that starts a model.
            Take();
            while (Current.Kind != TokenKind.EndOfFile && !(IsKeyword(Current, "model") && Current.StartsLine))
            {
                Take();
            }
        }

        return new GeoModelFileSyntax(ns, models, Current);
    }

    private NamespaceSyntax ParseNamespace()
    {
        var keyword = Take();
        var parts = new List<SyntaxToken> { Expect(TokenKind.Identifier, "a namespace name") };
        while (Current.Kind == TokenKind.Dot && !Current.StartsLine)
        {
            Take();
            parts.Add(Expect(TokenKind.Identifier, "a namespace name"));
        }

        return new NamespaceSyntax(keyword, parts);
    }

    private ModelSyntax ParseModel()
    {
        var keyword = Take();
        var name = Current.Kind == TokenKind.Identifier && !Current.StartsLine ? Take() : Missing("a model name, e.g. 'model FloodMapper : segmentation'");
        SyntaxToken? kind = null;
        if (Current.Kind == TokenKind.Colon)
        {
            Take();
            kind = Expect(TokenKind.Identifier, "a task: segmentation, regression or classification");
        }

        var body = ParseBlock(isModelBody: true);
        return new ModelSyntax(keyword, name, kind, body);
    }

    private BlockSyntax ParseBlock(bool isModelBody = false)
    {
        if (Current.Kind != TokenKind.OpenBrace)
        {
            var missingOpen = Missing("'{'");
            return new BlockSyntax(missingOpen, new List<MemberSyntax>(), SyntaxToken.Missing(missingOpen.Span.Start));
        }

        var open = Take();
        var members = new List<MemberSyntax>();
        if (++_depth > MaxDepth)
        {
            Error(DiagnosticDescriptors.NestingTooDeep, open, MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SkipBalanced(open);
            _depth--;
            return new BlockSyntax(open, members, Current.Kind == TokenKind.CloseBrace ? Take() : SyntaxToken.Missing(Current.Span.Start));
        }

        try
        {
            while (true)
            {
                SkipSeparators();
                var token = Current;
                if (token.Kind == TokenKind.CloseBrace)
                {
                    return new BlockSyntax(open, members, Take());
                }

                // A model keyword at the start of a line inside a model body means the body lacks its '}'.
                if (token.Kind == TokenKind.EndOfFile || (isModelBody && IsKeyword(token, "model") && token.StartsLine))
                {
                    Error(DiagnosticDescriptors.UnclosedBrace, open, (_diagnostics.Text.GetPosition(open.Span.Start).Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return new BlockSyntax(open, members, SyntaxToken.Missing(token.Span.Start));
                }

                if (ParseMember(allowSectionName: true) is { } member)
                {
                    members.Add(member);
                }
            }
        }
        finally
        {
            _depth--;
        }
    }

    private MemberSyntax? ParseMember(bool allowSectionName)
    {
        var keyword = Current;
        if (keyword.Kind != TokenKind.Identifier)
        {
            Error(DiagnosticDescriptors.UnexpectedToken, keyword, Describe(keyword), "a setting ('name = value') or a section ('neck select_indices { … }')");
            SkipRestOfLine();
            return null;
        }

        Take();
        if (Current.Kind == TokenKind.Equals)
        {
            var equals = Take();
            var value = ParseValue(equals);
            var assignment = new AssignmentSyntax(keyword, equals, value);
            ExpectEndOfMember();
            return assignment;
        }

        SyntaxToken? name = null;
        if (allowSectionName && Current.Kind == TokenKind.Identifier && !Current.StartsLine)
        {
            name = Take();
        }

        BlockSyntax? body = null;
        if (Current.Kind == TokenKind.OpenBrace)
        {
            body = ParseBlock();
        }

        var section = new SectionSyntax(keyword, name, body);
        ExpectEndOfMember();
        return section;
    }

    /// <summary>After a member: a separator, a new line, or the block's end. Anything else is one error, then the line is skipped.</summary>
    private void ExpectEndOfMember()
    {
        var token = Current;
        if (token.StartsLine || token.Kind is TokenKind.CloseBrace or TokenKind.Comma or TokenKind.Semicolon or TokenKind.EndOfFile)
        {
            return;
        }

        Error(DiagnosticDescriptors.UnexpectedToken, token, Describe(token), "a new line, ',' or '}'");
        SkipRestOfLine();
    }

    private ValueSyntax ParseValue(SyntaxToken after)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
            case TokenKind.String:
                return new LiteralSyntax(Take());
            case TokenKind.Identifier when !token.StartsLine:
                Take();
                if (Current.Kind == TokenKind.OpenBrace && !Current.StartsLine)
                {
                    return new ObjectSyntax(token, ParseBlock());
                }

                return new LiteralSyntax(token);
            case TokenKind.OpenBracket:
                return ParseList();
            case TokenKind.Bad:
                Take(); // Already reported by the lexer.
                return new MissingValueSyntax(token.Span);
            default:
                Error(DiagnosticDescriptors.ExpectedValue, after, after.Text);
                return new MissingValueSyntax(new TextSpan(after.Span.End, 0));
        }
    }

    private ListSyntax ParseList()
    {
        var open = Take();
        var items = new List<ValueSyntax>();
        if (++_depth > MaxDepth)
        {
            Error(DiagnosticDescriptors.NestingTooDeep, open, MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SkipBalanced(open);
            _depth--;
            return new ListSyntax(open, items, Current.Kind == TokenKind.CloseBracket ? Take() : SyntaxToken.Missing(Current.Span.Start));
        }

        try
        {
            while (true)
            {
                while (Current.Kind == TokenKind.Comma)
                {
                    Take();
                }

                var token = Current;
                switch (token.Kind)
                {
                    case TokenKind.CloseBracket:
                        return new ListSyntax(open, items, Take());
                    case TokenKind.EndOfFile:
                    case TokenKind.CloseBrace:
                    case TokenKind.Equals:
                        Error(DiagnosticDescriptors.UnclosedBracket, open);
                        return new ListSyntax(open, items, SyntaxToken.Missing(token.Span.Start));
                    case TokenKind.Number:
                    case TokenKind.String:
                        items.Add(new LiteralSyntax(Take()));
                        break;
                    case TokenKind.Identifier:
                        Take();
                        items.Add(Current.Kind == TokenKind.OpenBrace ? new ObjectSyntax(token, ParseBlock()) : new LiteralSyntax(token));
                        break;
                    case TokenKind.OpenBracket:
                        items.Add(ParseList());
                        break;
                    case TokenKind.Bad:
                        Take();
                        break;
                    default:
                        Error(DiagnosticDescriptors.UnexpectedToken, token, Describe(token), "a list item or ']'");
                        Take();
                        break;
                }
            }
        }
        finally
        {
            _depth--;
        }
    }

    private void SkipSeparators()
    {
        while (Current.Kind is TokenKind.Comma or TokenKind.Semicolon)
        {
            Take();
        }
    }

    /// <summary>Skips to the next token that starts a line, stopping at a '}' that closes the current block.</summary>
    private void SkipRestOfLine()
    {
        int nesting = 0;
        while (Current.Kind != TokenKind.EndOfFile)
        {
            var token = Current;
            if (token.Kind is TokenKind.OpenBrace or TokenKind.OpenBracket)
            {
                nesting++;
            }
            else if (token.Kind is TokenKind.CloseBrace or TokenKind.CloseBracket)
            {
                if (nesting == 0 && token.Kind == TokenKind.CloseBrace)
                {
                    return;
                }

                nesting = System.Math.Max(0, nesting - 1);
            }

            Take();
            if (nesting == 0 && Current.StartsLine)
            {
                return;
            }
        }
    }

    /// <summary>Skips a too-deep group up to (not including) its matching closer.</summary>
    private void SkipBalanced(SyntaxToken open)
    {
        int nesting = 0;
        var closer = open.Kind == TokenKind.OpenBrace ? TokenKind.CloseBrace : TokenKind.CloseBracket;
        while (Current.Kind != TokenKind.EndOfFile)
        {
            if (Current.Kind == open.Kind)
            {
                nesting++;
            }
            else if (Current.Kind == closer)
            {
                if (nesting == 0)
                {
                    return;
                }

                nesting--;
            }

            Take();
        }
    }

    private SyntaxToken Expect(TokenKind kind, string what)
    {
        return Current.Kind == kind ? Take() : Missing(what);
    }

    private SyntaxToken Missing(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Bad)
        {
            Error(DiagnosticDescriptors.UnexpectedToken, token, Describe(token), what);
        }

        return SyntaxToken.Missing(token.Span.Start);
    }

    private void Error(DiagnosticDescriptor descriptor, SyntaxToken at, params string[] arguments)
    {
        // One mistake, one diagnostic: recovery may revisit the same token.
        if (at.Span.Start == _lastErrorAt)
        {
            return;
        }

        _lastErrorAt = at.Span.Start;
        _diagnostics.Report(descriptor, at.Span, arguments);
    }

    private static string Describe(SyntaxToken token) => token.Kind switch
    {
        TokenKind.EndOfFile => "the end of the file",
        TokenKind.String => $"the string \"{token.Text}\"",
        TokenKind.Number => $"the number {token.Text}",
        TokenKind.Identifier => $"'{token.Text}'",
        _ => $"'{token.Text}'",
    };
}
