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

    /// <summary>For each token, the column of the first token on its line (indentation-based recovery).</summary>
    private readonly int[] _lineIndents;
    private int _index;
    private int _depth;
    private int _lastErrorAt = -1;

    /// <summary>Set when a too-deep group ran to the end of the file or the next model: its enclosing groups are then
    /// unclosed by the same mistake, already reported as GEO0009.</summary>
    private bool _tooDeepUnclosed;

    private Parser(List<SyntaxToken> tokens, DiagnosticSink diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
        _lineIndents = new int[tokens.Count];
        int indent = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i == 0 || tokens[i].StartsLine)
            {
                indent = diagnostics.Text.GetPosition(tokens[i].Span.Start).Character;
            }

            _lineIndents[i] = indent;
        }
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

            if (Current.Kind == TokenKind.Bad)
            {
                // Reported by the lexer; a 'model' right after it on the same line still starts a model.
                Take();
                if (IsKeyword(Current, "model") && !Current.StartsLine)
                {
                    continue;
                }
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
        var parts = new List<SyntaxToken> { NamespacePart() };
        while (Current.Kind == TokenKind.Dot && !Current.StartsLine)
        {
            Take();
            parts.Add(NamespacePart());
        }

        if (!Current.StartsLine && Current.Kind != TokenKind.EndOfFile)
        {
            // 'namespace a b' or 'namespace a.b model M …': one error; a model on the same line is still read.
            Error(DiagnosticDescriptors.UnexpectedToken, Current, Describe(Current), "'.' or a new line after the namespace");
            while (!Current.StartsLine && Current.Kind != TokenKind.EndOfFile && !IsKeyword(Current, "model"))
            {
                Take();
            }
        }

        return new NamespaceSyntax(keyword, parts);
    }

    /// <summary>A namespace's parts stand on its line: 'namespace a.' followed by 'model' on the next line lacks a part,
    /// and the model is still read.</summary>
    private SyntaxToken NamespacePart() =>
        Current.Kind == TokenKind.Identifier && !Current.StartsLine ? Take() : Missing("a namespace name, e.g. 'namespace Geo.Floods'");

    private ModelSyntax ParseModel()
    {
        var keyword = Take();
        _tooDeepUnclosed = false;
        SkipBadTokensOnLine();
        var name = Current.Kind == TokenKind.Identifier && !Current.StartsLine ? Take() : Missing("a model name, e.g. 'model FloodMapper : segmentation'");
        SkipBadTokensOnLine();
        SyntaxToken? kind = null;
        if (Current.Kind == TokenKind.Colon)
        {
            Take();
            SkipBadTokensOnLine();
            kind = Current.Kind == TokenKind.Identifier && !Current.StartsLine ? Take() : Missing("a task: segmentation, regression or classification");
        }
        else if (Current.Kind == TokenKind.Identifier && !Current.StartsLine && !name.IsMissing)
        {
            // 'model M segmentation {': the task without its ':'. Report that, and read the task anyway.
            Error(DiagnosticDescriptors.UnexpectedToken, Current, Describe(Current), "':' before the task, e.g. 'model " + name.Text + " : " + Current.Text + "'");
            kind = Take();
        }

        SkipBadTokensOnLine();
        var body = ParseBlock(isModelBody: true);
        return new ModelSyntax(keyword, name, kind, body);
    }

    /// <param name="isModelBody">A model's body: it ends at a '}' or, when that is missing, at the next model.</param>
    /// <param name="owner">The section keyword the block belongs to, if any ('aux_head' may hold 'decoder' and 'head').</param>
    private BlockSyntax ParseBlock(bool isModelBody = false, string? owner = null)
    {
        SyntaxToken open;
        if (Current.Kind == TokenKind.OpenBrace)
        {
            open = Take();
        }
        else
        {
            // Only a model body gets here without its '{': report it once and read the members anyway, so the rest
            // of the model is still checked ('model M : segmentation' followed by its sections on the next lines).
            open = Missing("'{'");
            if (!isModelBody || Current.Kind == TokenKind.EndOfFile || !Current.StartsLine || IsKeyword(Current, "model"))
            {
                return new BlockSyntax(open, new List<MemberSyntax>(), SyntaxToken.Missing(open.Span.Start));
            }
        }

        int indent = isModelBody ? -1 : LineIndent(_index - 1);
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

                // A model keyword at the start of a line inside a model body means the body lacks its '}'; inside a
                // component's block, a model section written no deeper than the block's own line means the same.
                if (token.Kind == TokenKind.EndOfFile || (IsKeyword(token, "model") && token.StartsLine) || StartsOuterSection(indent, owner))
                {
                    if (open.IsMissing || _tooDeepUnclosed)
                    {
                        // Its missing '{' has been reported, or the too-deep group inside it that left it open.
                        return new BlockSyntax(open, members, SyntaxToken.Missing(token.Span.Start));
                    }

                    Error(DiagnosticDescriptors.UnclosedBrace, open, (_diagnostics.Text.GetPosition(open.Span.Start).Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return new BlockSyntax(open, members, SyntaxToken.Missing(token.Span.Start));
                }

                if (token.Kind == TokenKind.Bad)
                {
                    // Reported by the lexer. '@backbone x' still reads as 'backbone x'; anything else skips the line.
                    Take();
                    if (Current.Kind != TokenKind.Identifier || Current.StartsLine)
                    {
                        SkipRestOfLine();
                    }

                    continue;
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
            var value = ParseValue(equals, keyword.Text + " =");
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
            body = ParseBlock(owner: keyword.Text);
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

    private ValueSyntax ParseValue(SyntaxToken after, string written)
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
                    return ParseObject(token);
                }

                return new LiteralSyntax(token);
            case TokenKind.OpenBracket:
                return ParseList();
            case TokenKind.Bad when !token.StartsLine:
                // Already reported by the lexer ('12px', an unterminated string, '@'). A value after a stray
                // character on the same line is still read, so '= @ 0.1' is one mistake, not two.
                Take();
                SkipBadTokensOnLine();
                return Current.Kind is TokenKind.Number or TokenKind.String or TokenKind.Identifier or TokenKind.OpenBracket && !Current.StartsLine
                    ? ParseValue(after, written)
                    : new MissingValueSyntax(token.Span);
            default:
                Error(DiagnosticDescriptors.ExpectedValue, after, written);
                return new MissingValueSyntax(new TextSpan(after.Span.End, 0));
        }
    }

    /// <summary><c>name { … }</c> as a value; one nested too deep is reported and stands as a missing value.</summary>
    private ValueSyntax ParseObject(SyntaxToken name) => TooDeep() is { } skipped ? skipped : new ObjectSyntax(name, ParseBlock());

    /// <summary>
    /// When the group opening at the current token would nest deeper than <see cref="MaxDepth"/>: reports it once,
    /// skips the group and returns a missing value in its place (so nothing downstream reports the same mistake as a
    /// wrong type); otherwise null.
    /// </summary>
    private MissingValueSyntax? TooDeep()
    {
        if (_depth + 1 <= MaxDepth)
        {
            return null;
        }

        var open = Take();
        Error(DiagnosticDescriptors.NestingTooDeep, open, MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SkipBalanced(open);
        var closer = open.Kind == TokenKind.OpenBrace ? TokenKind.CloseBrace : TokenKind.CloseBracket;
        var end = Current.Kind == closer ? Take() : open;
        return new MissingValueSyntax(open.Span.Cover(end.Span));
    }

    private ValueSyntax ParseList()
    {
        if (TooDeep() is { } skipped)
        {
            return skipped;
        }

        var open = Take();
        int indent = LineIndent(_index - 1);
        var items = new List<ValueSyntax>();
        _depth++;
        try
        {
            while (true)
            {
                while (Current.Kind == TokenKind.Comma)
                {
                    Take();
                }

                var token = Current;

                // 'name = …' cannot be a list item, nor can a model section at or left of the list's line, nor a new
                // model: the list lacks its ']' and that token starts the next member.
                if ((token.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Equals) || StartsOuterSection(indent, owner: null)
                    || (IsKeyword(token, "model") && token.StartsLine))
                {
                    if (!_tooDeepUnclosed)
                    {
                        Error(DiagnosticDescriptors.UnclosedBracket, open);
                    }

                    return new ListSyntax(open, items, SyntaxToken.Missing(token.Span.Start));
                }

                switch (token.Kind)
                {
                    case TokenKind.CloseBracket:
                        return new ListSyntax(open, items, Take());
                    case TokenKind.EndOfFile:
                    case TokenKind.CloseBrace:
                    case TokenKind.Equals:
                        if (!_tooDeepUnclosed)
                        {
                            Error(DiagnosticDescriptors.UnclosedBracket, open);
                        }

                        return new ListSyntax(open, items, SyntaxToken.Missing(token.Span.Start));
                    case TokenKind.Number:
                    case TokenKind.String:
                        items.Add(new LiteralSyntax(Take()));
                        break;
                    case TokenKind.Identifier:
                        Take();
                        items.Add(Current.Kind == TokenKind.OpenBrace ? ParseObject(token) : new LiteralSyntax(token));
                        break;
                    case TokenKind.OpenBracket:
                        items.Add(ParseList());
                        break;
                    case TokenKind.Bad:
                        // Reported by the lexer; the item stays in the list (as a missing value), so the count is right
                        // and nothing downstream reports it a second time.
                        Take();
                        items.Add(new MissingValueSyntax(token.Span));
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

    private SyntaxToken Peek(int ahead) => _tokens[System.Math.Min(_index + ahead, _tokens.Count - 1)];

    /// <summary>Skips tokens the lexer has already reported, on the current line.</summary>
    private void SkipBadTokensOnLine()
    {
        while (Current.Kind == TokenKind.Bad && !Current.StartsLine)
        {
            Take();
        }
    }

    /// <summary>The column of the first token on the line of the token at <paramref name="index"/>.</summary>
    private int LineIndent(int index) => _lineIndents[System.Math.Max(0, System.Math.Min(index, _tokens.Count - 1))];

    /// <summary>
    /// True when the current token begins a model section (<c>neck x</c>, <c>train {</c>) on its own line, no deeper
    /// than <paramref name="indent"/>: inside a component's block or a list that cannot be a member, so the block
    /// or list was left open. A negative indent (a model body) never matches.
    /// </summary>
    private bool StartsOuterSection(int indent, string? owner)
    {
        var token = Current;
        if (indent < 0 || !token.StartsLine || token.Kind != TokenKind.Identifier || Peek(1).Kind == TokenKind.Equals
            || System.Array.IndexOf(Catalog.ModelSections.SectionNames, token.Text) < 0
            || (owner == "aux_head" && token.Text is "decoder" or "head"))
        {
            return false;
        }

        return _diagnostics.Text.GetPosition(token.Span.Start).Character <= indent;
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

    /// <summary>Skips a too-deep group up to (not including) its matching closer, or to the next model when it has none.</summary>
    private void SkipBalanced(SyntaxToken open)
    {
        int nesting = 0;
        var closer = open.Kind == TokenKind.OpenBrace ? TokenKind.CloseBrace : TokenKind.CloseBracket;
        while (Current.Kind != TokenKind.EndOfFile && !(IsKeyword(Current, "model") && Current.StartsLine))
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

        _tooDeepUnclosed = true;
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
        // One mistake, one diagnostic: recovery may revisit the same token, and the lexer has reported bad tokens.
        if (at.Span.Start == _lastErrorAt || at.Kind == TokenKind.Bad)
        {
            return;
        }

        _lastErrorAt = at.Span.Start;
        _diagnostics.Report(descriptor, at.Span, arguments);
    }

    private static string Describe(SyntaxToken token) => token.Kind switch
    {
        TokenKind.EndOfFile => "the end of the file",
        TokenKind.String => $"the string {token.Text}",
        TokenKind.Number => $"the number {token.Text}",
        TokenKind.Identifier => $"'{token.Text}'",
        _ => $"'{token.Text}'",
    };
}
