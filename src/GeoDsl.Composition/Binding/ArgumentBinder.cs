using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Specs;
using GeoDsl.Composition.Syntax;

namespace GeoDsl.Composition.Binding;

/// <summary>
/// Binds <c>name = value</c> members against a parameter list: unknown names (with "did you mean"), duplicates,
/// wrong types, out-of-range values and missing required arguments each give one diagnostic. The result lists
/// every parameter in declaration order with its default filled in, so nothing downstream knows about defaults.
/// </summary>
internal sealed class ArgumentBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecLocations _locations;

    public ArgumentBinder(DiagnosticSink diagnostics, SpecLocations locations)
    {
        _diagnostics = diagnostics;
        _locations = locations;
    }

    /// <summary>Binds <paramref name="members"/>; returns null when any of them was wrong.</summary>
    /// <param name="owner">"backbone 'prithvi_eo_v2_300'", for messages.</param>
    /// <param name="path">The component path under which argument spans are recorded.</param>
    /// <param name="ownerSpan">Where a missing required argument is reported.</param>
    public EquatableArray<Argument>? Bind(IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<MemberSyntax> members, string owner, string path, Text.TextSpan ownerSpan)
    {
        bool ok = true;
        var given = new Dictionary<string, ArgValue>();
        var written = new HashSet<string>(); // Given, rightly or wrongly: a wrong value is not also a missing one.
        foreach (var member in members)
        {
            if (member is not AssignmentSyntax assignment)
            {
                var section = (SectionSyntax)member;
                _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, section.Keyword.Span, $"'{section.Keyword.Text}' without a value", $"'{section.Keyword.Text} = …' (the arguments of {owner})");
                ok = false;
                continue;
            }

            string name = assignment.Keyword.Text;
            var parameter = parameters.FirstOrDefault(p => p.Name == name);
            if (parameter is null)
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownArgument, assignment.Keyword.Span, Capitalise(owner), name,
                    Spelling.DidYouMean(name, parameters.Select(p => p.Name)), parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(p => p.Name)));
                ok = false;
                continue;
            }

            if (!written.Add(name))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateArgument, assignment.Keyword.Span, name, owner);
                ok = false;
                continue;
            }

            _locations.SetArgument(path, name, assignment.Value.Span);
            if (assignment.Value is ListSyntax items)
            {
                // Rules about one item ("index 40 is out of range") point at that item.
                for (int i = 0; i < items.Items.Count; i++)
                {
                    _locations.SetArgument(path, SpecLocations.Item(name, i), items.Items[i].Span);
                }
            }

            if (parameter.Default is not NoneValue && assignment.Value is LiteralSyntax { IsIdentifier: true, Token.Text: "none" })
            {
                string why = parameter.Default is { } fallback
                    ? $" ('none' unsets only optional arguments; leave '{name}' out to get its default, {fallback.ToSource()})"
                    : $" ('{name}' is required)";
                Mismatch(assignment.Value, name, owner, parameter.Type, why);
                ok = false;
                continue;
            }

            // 'none' unsets an optional argument; one with a real default (batch_size = 8) cannot be unset.
            if (Convert(parameter.Type, assignment.Value, name, owner, path, allowNone: parameter.Default is NoneValue) is { } value)
            {
                given[name] = value;
            }
            else
            {
                ok = false;
            }
        }

        var bound = new List<Argument>();
        foreach (var parameter in parameters)
        {
            if (given.TryGetValue(parameter.Name, out var value))
            {
                bound.Add(new Argument(parameter.Name, value));
            }
            else if (parameter.Default is { } fallback)
            {
                bound.Add(new Argument(parameter.Name, fallback is ObjectValue choice ? WithDefaults(parameter.Type, choice) : fallback));
            }
            else if (!written.Contains(parameter.Name))
            {
                _diagnostics.Report(DiagnosticDescriptors.MissingArgument, ownerSpan, Capitalise(owner), parameter.Name, parameter.Description);
                ok = false;
            }
        }

        return ok ? bound.ToEquatableArray() : null;
    }

    private ArgValue? Convert(ParameterType type, ValueSyntax syntax, string name, string owner, string path, bool allowNone)
    {
        if (syntax is MissingValueSyntax)
        {
            return null; // Already reported by the lexer or parser.
        }

        if (allowNone && syntax is LiteralSyntax { IsIdentifier: true } none && none.Token.Text == "none")
        {
            return NoneValue.Instance;
        }

        switch (type)
        {
            case IntType range:
                if (syntax is LiteralSyntax { IsNumber: true } intLiteral && IsIntegerLiteral(intLiteral))
                {
                    // Every integer the front end reads is an int; a wider declared range is narrowed to it.
                    var effective = new IntType(Math.Max(range.Min, int.MinValue), Math.Min(range.Max, int.MaxValue));
                    return intLiteral.TryGetInteger(out long integer) && effective.InRange(integer)
                        ? new IntValue(integer)
                        : OutOfRange(syntax, name, owner, effective.Describe(), intLiteral.Token.Text);
                }

                return Mismatch(syntax, name, owner, type);

            case FloatType range:
                if (syntax is LiteralSyntax { IsNumber: true } floatLiteral && floatLiteral.TryGetDouble(out double number))
                {
                    return range.InRange(number) && !double.IsInfinity(number) && !double.IsNaN(number)
                        ? new FloatValue(number)
                        : OutOfRange(syntax, name, owner, range.Describe(), floatLiteral.Token.Text + (double.IsInfinity(number) ? " (too large to represent)" : string.Empty));
                }

                return Mismatch(syntax, name, owner, type);

            case EnumType choices:
                if (syntax is LiteralSyntax { IsIdentifier: true } or LiteralSyntax { IsString: true })
                {
                    string text = ((LiteralSyntax)syntax).Token.ValueText;
                    if (choices.Choices.Contains(text))
                    {
                        return new NameValue(text);
                    }

                    return OutOfRange(syntax, name, owner, choices.Describe(), $"'{text}'." + Spelling.DidYouMean(text, choices.Choices));
                }

                return Mismatch(syntax, name, owner, type);

            case ListType list:
                if (syntax is not ListSyntax listSyntax)
                {
                    return Mismatch(syntax, name, owner, type, syntax is LiteralSyntax ? $" (write [{Describe(syntax, quote: false)}])" : string.Empty);
                }

                if (ContainsMissing(listSyntax))
                {
                    return null; // An item is broken (already reported): its count and types would restate that mistake.
                }

                if (listSyntax.Items.Count < list.MinCount || listSyntax.Items.Count > list.MaxCount)
                {
                    return OutOfRange(syntax, name, owner, list.Describe(), $"{listSyntax.Items.Count} item(s)");
                }

                var items = new List<ArgValue>();
                foreach (var item in listSyntax.Items)
                {
                    if (Convert(list.Item, item, name, owner, path, allowNone: false) is not { } converted)
                    {
                        return null;
                    }

                    items.Add(converted);
                }

                return new ListValue(items.ToEquatableArray());

            case SizeType size:
                if (syntax is LiteralSyntax { IsNumber: true } side && IsIntegerLiteral(side))
                {
                    return side.TryGetInteger(out long square) && square >= size.Min && square <= size.Max
                        ? Pair(square, square)
                        : OutOfRange(syntax, name, owner, size.Describe(), side.Token.Text);
                }

                if (syntax is ListSyntax broken && ContainsMissing(broken))
                {
                    return null; // [224, @]: the broken item is already reported.
                }

                if (syntax is ListSyntax { Items.Count: 2 } pair
                    && pair.Items[0] is LiteralSyntax { IsNumber: true } height && IsIntegerLiteral(height)
                    && pair.Items[1] is LiteralSyntax { IsNumber: true } width && IsIntegerLiteral(width))
                {
                    return height.TryGetInteger(out long h) && width.TryGetInteger(out long w) && h >= size.Min && w >= size.Min && h <= int.MaxValue && w <= int.MaxValue
                        ? Pair(h, w)
                        : OutOfRange(syntax, name, owner, size.Describe(), $"[{height.Token.Text}, {width.Token.Text}]");
                }

                return Mismatch(syntax, name, owner, type);

            case ObjectType objects:
                var (choiceToken, body) = syntax switch
                {
                    ObjectSyntax o => (o.Name, o.Body.Members),
                    LiteralSyntax { IsIdentifier: true } l => (l.Token, (IReadOnlyList<MemberSyntax>)new List<MemberSyntax>()),
                    _ => (null, new List<MemberSyntax>()),
                };
                if (choiceToken is null)
                {
                    return Mismatch(syntax, name, owner, type);
                }

                var choice = objects.Find(choiceToken.Text);
                if (choice is null)
                {
                    var names = objects.Choices.Select(c => c.Name).ToList();
                    _diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, choiceToken.Span, name, owner,
                        "one of " + Spelling.OneOf(names), $"'{choiceToken.Text}'." + Spelling.DidYouMean(choiceToken.Text, names));
                    return null;
                }

                var arguments = Bind(choice.Parameters, body, $"{name} '{choice.Name}'", path + "." + name, choiceToken.Span);
                return arguments is { } bound ? new ObjectValue(choice.Name, bound) : null;

            default:
                if (ReferenceEquals(type, ParameterType.Bool))
                {
                    if (syntax is LiteralSyntax { IsIdentifier: true } flag && (flag.Token.Text == "true" || flag.Token.Text == "false"))
                    {
                        return new BoolValue(flag.Token.Text == "true");
                    }

                    return Mismatch(syntax, name, owner, type);
                }

                // Strings: quoted, or a bare name (bands are written BLUE or "BLUE").
                return syntax switch
                {
                    LiteralSyntax { IsString: true } s => new StringValue(s.Token.ValueText),
                    LiteralSyntax { IsIdentifier: true } i => new NameValue(i.Token.Text),
                    _ => Mismatch(syntax, name, owner, type),
                };
        }
    }

    /// <summary>Fills the defaults of a default choice such as <c>adamw</c>.</summary>
    private static ObjectValue WithDefaults(ParameterType type, ObjectValue choice)
    {
        var declared = ((ObjectType)type).Find(choice.Name)!;
        var given = choice.Arguments.ToDictionary(a => a.Name, a => a.Value);
        return new ObjectValue(choice.Name, declared.Parameters
            .Select(p => new Argument(p.Name, given.TryGetValue(p.Name, out var v) ? v : p.Default!))
            .ToEquatableArray());
    }

    private static ArgValue Pair(long height, long width) => new ListValue(EquatableArray.Create<ArgValue>(new IntValue(height), new IntValue(width)));

    /// <summary>Whether a list has a missing part (a lexer or parser error) anywhere inside; nesting is bounded by the parser.</summary>
    private static bool ContainsMissing(ValueSyntax syntax) => syntax switch
    {
        MissingValueSyntax => true,
        ListSyntax list => list.Close.IsMissing || list.Items.Any(ContainsMissing),
        ObjectSyntax o => o.Body.Close.IsMissing || o.Body.Members.OfType<AssignmentSyntax>().Any(a => ContainsMissing(a.Value)),
        _ => false,
    };

    /// <summary>Digits only (with sign and '_'): an integer, however large; '1.0' and '1e3' are numbers, not integers.</summary>
    private static bool IsIntegerLiteral(LiteralSyntax literal) =>
        literal.Token.Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;

    private ArgValue? Mismatch(ValueSyntax syntax, string name, string owner, ParameterType expected, string hint = "")
    {
        _diagnostics.Report(DiagnosticDescriptors.ArgumentTypeMismatch, syntax.Span, name, owner, expected.Describe(), Describe(syntax, quote: true) + hint);
        return null;
    }

    private ArgValue? OutOfRange(ValueSyntax syntax, string name, string owner, string expected, string actual)
    {
        _diagnostics.Report(DiagnosticDescriptors.ArgumentOutOfRange, syntax.Span, name, owner, expected, actual);
        return null;
    }

    internal static string Describe(ValueSyntax syntax, bool quote) => syntax switch
    {
        LiteralSyntax { IsNumber: true } n => quote ? $"the number {n.Token.Text}" : n.Token.Text,
        LiteralSyntax { IsString: true } s => quote ? $"the string {s.Token.Text}" : s.Token.Text,
        LiteralSyntax l => quote ? $"the name '{l.Token.Text}'" : l.Token.Text,
        ListSyntax list => $"a list of {list.Items.Count.ToString(CultureInfo.InvariantCulture)} item(s)",
        ObjectSyntax o => $"'{o.Name.Text} {{ … }}'",
        _ => "nothing",
    };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
