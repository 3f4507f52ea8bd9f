using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Syntax;

/// <summary>
/// The syntax tree. The grammar is deliberately uniform (a model body is a list of members, a member is
/// an assignment or a section with an optional block), so the parser stays small and recovers well, and
/// meaning lives in one place: the binder.
/// <code>
/// file       := ('namespace' name)? model*
/// model      := 'model' IDENT (':' IDENT)? block
/// block      := '{' member* '}'
/// member     := IDENT '=' value | IDENT IDENT? block?      (a section's name stands on its keyword's line)
/// value      := NUMBER | STRING | IDENT | IDENT block | '[' (value ','?)* ']'
/// </code>
/// </summary>
public abstract record SyntaxNode
{
    public abstract TextSpan Span { get; }
}

public sealed record GeoModelFileSyntax(NamespaceSyntax? Namespace, IReadOnlyList<ModelSyntax> Models, SyntaxToken EndOfFile) : SyntaxNode
{
    public override TextSpan Span => new(0, EndOfFile.Span.End);
}

public sealed record NamespaceSyntax(SyntaxToken Keyword, IReadOnlyList<SyntaxToken> Parts) : SyntaxNode
{
    public string Name => string.Join(".", Parts.Where(p => !p.IsMissing).Select(p => p.Text));

    public override TextSpan Span => Parts.Count == 0 ? Keyword.Span : Keyword.Span.Cover(Parts[Parts.Count - 1].Span);
}

/// <summary><c>model Name : kind { … }</c>.</summary>
public sealed record ModelSyntax(SyntaxToken Keyword, SyntaxToken Name, SyntaxToken? KindToken, BlockSyntax Body) : SyntaxNode
{
    public override TextSpan Span => Keyword.Span.Cover(Body.Span);
}

public sealed record BlockSyntax(SyntaxToken Open, IReadOnlyList<MemberSyntax> Members, SyntaxToken Close) : SyntaxNode
{
    public override TextSpan Span => Open.Span.Cover(Close.IsMissing ? (Members.Count > 0 ? Members[Members.Count - 1].Span : Open.Span) : Close.Span);
}

public abstract record MemberSyntax(SyntaxToken Keyword) : SyntaxNode;

/// <summary><c>name = value</c>.</summary>
public sealed record AssignmentSyntax(SyntaxToken Keyword, SyntaxToken EqualsToken, ValueSyntax Value) : MemberSyntax(Keyword)
{
    public override TextSpan Span => Keyword.Span.Cover(Value.Span);
}

/// <summary><c>keyword name? { … }?</c>, e.g. <c>input { … }</c>, <c>neck select_indices { … }</c>, <c>target rtx_4090</c>.</summary>
public sealed record SectionSyntax(SyntaxToken Keyword, SyntaxToken? Name, BlockSyntax? Body) : MemberSyntax(Keyword)
{
    public override TextSpan Span => Keyword.Span.Cover(Body?.Span ?? Name?.Span ?? Keyword.Span);
}

public abstract record ValueSyntax : SyntaxNode;

/// <summary>A number, a string, or a bare identifier (an enum value such as <c>dice</c>, or <c>true</c>).</summary>
public sealed record LiteralSyntax(SyntaxToken Token) : ValueSyntax
{
    public override TextSpan Span => Token.Span;

    public bool IsNumber => Token.Kind == TokenKind.Number;

    public bool IsString => Token.Kind == TokenKind.String;

    public bool IsIdentifier => Token.Kind == TokenKind.Identifier;

    public bool TryGetInteger(out long value) =>
        long.TryParse(Token.Text.Replace("_", string.Empty), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public bool TryGetDouble(out double value) =>
        double.TryParse(Token.Text.Replace("_", string.Empty), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

public sealed record ListSyntax(SyntaxToken Open, IReadOnlyList<ValueSyntax> Items, SyntaxToken Close) : ValueSyntax
{
    public override TextSpan Span => Open.Span.Cover(Close.IsMissing ? (Items.Count > 0 ? Items[Items.Count - 1].Span : Open.Span) : Close.Span);
}

/// <summary><c>adamw { lr = 1e-4 }</c>: a named choice with its own arguments.</summary>
public sealed record ObjectSyntax(SyntaxToken Name, BlockSyntax Body) : ValueSyntax
{
    public override TextSpan Span => Name.Span.Cover(Body.Span);
}

/// <summary>Where a value was required but none was written; the parser has reported it.</summary>
public sealed record MissingValueSyntax(TextSpan At) : ValueSyntax
{
    public override TextSpan Span => At;
}
