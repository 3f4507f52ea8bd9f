using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Attributes;

/// <summary>A string argument of a C# attribute, as the compiler sees it.</summary>
/// <param name="Value">The string's value.</param>
/// <param name="Span">The argument expression in the C# file.</param>
/// <param name="ValueStart">Where the value's characters start in the file when the literal's text is its value
/// (no escapes); null otherwise, and diagnostics inside it then point at the whole argument.</param>
public sealed record AttributeArgument(string Value, TextSpan Span, int? ValueStart);

/// <summary>One GeoDsl attribute on a class: the section it stands for, its name argument and its arguments string.</summary>
/// <param name="Keyword">input, backbone, neck, decoder, head, aux_head, train or target.</param>
/// <param name="AttributeSpan">The attribute in the C# file (where section-level diagnostics go).</param>
public sealed record AttributeSection(string Keyword, TextSpan AttributeSpan, AttributeArgument? Name, AttributeArgument? Arguments);

/// <summary>A class declared as a model with attributes: everything the front end needs, as plain values.</summary>
public sealed record AttributedModelDeclaration(
    string FilePath,
    string ClassName,
    TextSpan ClassNameSpan,
    string? Namespace,
    AttributeArgument Task,
    EquatableArray<AttributeSection> Sections);

/// <summary>
/// Compiles an attributed class through the same front end as a <c>.geomodel</c> file. The attributes are written
/// out as <c>.geomodel</c> text, every piece remembering where in the C# file it came from; the text is compiled
/// as usual and each diagnostic is moved back onto the attribute (or the exact characters of a string argument)
/// it concerns. One parser, one binder, one set of checks for both forms.
/// </summary>
public static class AttributedModel
{
    public static FileAnalysis Compile(AttributedModelDeclaration declaration, SourceText csharpText, Options.CompileOptions? options = null)
    {
        var writer = new MappedWriter(declaration.ClassNameSpan);
        if (declaration.Namespace is { } ns)
        {
            writer.Structure("namespace " + ns + "\n", declaration.ClassNameSpan);
        }

        writer.Structure("model ", declaration.ClassNameSpan);
        writer.Exact(declaration.ClassName, declaration.ClassNameSpan.Start, declaration.ClassNameSpan);
        writer.Structure(" : ", declaration.Task.Span);
        writer.User(declaration.Task);
        writer.Structure(" {\n", declaration.ClassNameSpan);
        foreach (var section in declaration.Sections)
        {
            writer.Structure("    " + section.Keyword, section.AttributeSpan);
            if (section.Name is { } name)
            {
                writer.Structure(" ", section.AttributeSpan);
                writer.User(name);
            }

            if (section.Arguments is { } arguments)
            {
                writer.Structure(" {\n", section.AttributeSpan);
                writer.User(arguments);
                writer.Structure("\n    }", section.AttributeSpan);
            }

            writer.Structure("\n", section.AttributeSpan);
        }

        writer.Structure("}\n", declaration.ClassNameSpan);

        var analysis = GeoModelCompiler.Compile(declaration.FilePath, writer.Text, options: options);
        var diagnostics = analysis.Diagnostics
            .Select(d => d with { Location = SourceLocation.In(declaration.FilePath, csharpText, writer.Map(d.Location.Span)) })
            .ToEquatableArray();
        return analysis with { Diagnostics = diagnostics };
    }

    /// <summary>Builds the <c>.geomodel</c> text and the map from its characters back to the C# file.</summary>
    private sealed class MappedWriter
    {
        private readonly StringBuilder _text = new();
        private readonly List<Segment> _segments = new();
        private readonly TextSpan _fallback;

        public MappedWriter(TextSpan fallback) => _fallback = fallback;

        public string Text => _text.ToString();

        /// <summary>Generated text: a diagnostic in it points at <paramref name="owner"/>.</summary>
        public void Structure(string text, TextSpan owner) => Append(text, owner, exactStart: null);

        /// <summary>Text copied from the C# file character for character.</summary>
        public void Exact(string text, int start, TextSpan owner) => Append(text, owner, start);

        public void User(AttributeArgument argument) => Append(argument.Value, argument.Span, argument.ValueStart);

        public TextSpan Map(TextSpan span)
        {
            var segment = _segments.LastOrDefault(s => s.Start <= span.Start) ?? new Segment(0, 0, _fallback, null);
            if (segment.ExactStart is not { } exact)
            {
                return segment.Owner;
            }

            int offset = Math.Min(span.Start - segment.Start, segment.Length);
            int length = Math.Max(0, Math.Min(span.Length, segment.Length - offset));
            return new TextSpan(exact + offset, length);
        }

        private void Append(string text, TextSpan owner, int? exactStart)
        {
            _segments.Add(new Segment(_text.Length, text.Length, owner, exactStart));
            _text.Append(text);
        }

        private sealed record Segment(int Start, int Length, TextSpan Owner, int? ExactStart);
    }
}
