using System;
using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Editing;

/// <summary>Replace <see cref="Span"/> with <see cref="NewText"/>.</summary>
public sealed record TextEdit(TextSpan Span, string NewText);

/// <summary>
/// The text edits GeoDsl's code fixes make, on the front end's own syntax tree (the fixer never re-parses a model its
/// own way): insert a neck before a stage, set a train setting. The values come from the rule that reported the
/// diagnostic (<see cref="DiagnosticProperties"/>); these only decide where the text goes.
/// </summary>
public static class SourceEdits
{
    /// <summary>In a <c>.geomodel</c> file: a <c>neck</c> line before the line that holds <paramref name="position"/>, indented like it.</summary>
    public static TextEdit InsertNeckBefore(string text, int position, string neck, string arguments)
    {
        int lineStart = text.LastIndexOf('\n', Math.Max(0, Math.Min(position, text.Length) - 1)) + 1;
        int indentEnd = lineStart;
        while (indentEnd < text.Length && (text[indentEnd] == ' ' || text[indentEnd] == '\t'))
        {
            indentEnd++;
        }

        string indent = text.Substring(lineStart, indentEnd - lineStart);
        return new TextEdit(new TextSpan(lineStart, 0), indent + "neck " + NeckText(neck, arguments) + "\n");
    }

    /// <summary>The neck as a section's name and block: <c>permute_dims { new_order = [0, 3, 1, 2] }</c>.</summary>
    public static string NeckText(string neck, string arguments) => arguments.Length == 0 ? neck : neck + " { " + arguments + " }";

    /// <summary>
    /// In a <c>.geomodel</c> file: sets <paramref name="name"/> to <paramref name="value"/> in the train block of the model
    /// that holds <paramref name="position"/> (replacing the value, adding the setting, or adding a train block); null
    /// when no model holds the position.
    /// </summary>
    public static TextEdit? SetTrainSetting(string text, int position, string name, string value)
    {
        var source = new SourceText(text);
        var file = Parser.ParseFile(source, new DiagnosticSink("edit.geomodel", source));
        var model = file.Models.FirstOrDefault(m => m.Span.Start <= position && position <= m.Span.End);
        if (model is null)
        {
            return null;
        }

        var train = model.Body.Members.OfType<SectionSyntax>().FirstOrDefault(s => s.Keyword.Text == "train" && s.Body is not null);
        if (train?.Body is not { } body)
        {
            // A new train block as the model's last member, indented like its other members.
            string indent = IndentOf(text, model.Body.Members.Count > 0 ? model.Body.Members[0].Span.Start : model.Span.Start, fallback: "    ");
            int close = model.Body.Close.IsMissing ? model.Span.End : model.Body.Close.Span.Start;
            int lineStart = text.LastIndexOf('\n', Math.Max(0, close - 1)) + 1;
            bool closeOnOwnLine = string.IsNullOrWhiteSpace(text.Substring(lineStart, close - lineStart));
            return closeOnOwnLine
                ? new TextEdit(new TextSpan(lineStart, 0), $"{indent}train {{ {name} = {value} }}\n")
                : new TextEdit(new TextSpan(close, 0), $" train {{ {name} = {value} }} ");
        }

        return SetMember(text, body.Members, body.Open.Span.End, body.Close.IsMissing ? body.Span.End : body.Close.Span.Start, name, value);
    }

    /// <summary>
    /// In a C# attribute's arguments string (<c>"batch_size = 8, precision = fp32"</c>): the string with
    /// <paramref name="name"/> set to <paramref name="value"/>.
    /// </summary>
    public static string SetArgument(string arguments, string name, string value)
    {
        var source = new SourceText(arguments);
        var members = Parser.ParseMembers(source, 0, arguments.Length, new DiagnosticSink("edit.geomodel", source));
        var edit = SetMember(arguments, members, 0, arguments.Length, name, value);
        return arguments.Substring(0, edit.Span.Start) + edit.NewText + arguments.Substring(edit.Span.End);
    }

    private static TextEdit SetMember(string text, IReadOnlyList<MemberSyntax> members, int start, int end, string name, string value)
    {
        if (members.OfType<AssignmentSyntax>().FirstOrDefault(a => a.Keyword.Text == name) is { } existing)
        {
            return new TextEdit(existing.Value.Span, value);
        }

        if (members.Count == 0)
        {
            bool braces = start > 0;
            return new TextEdit(new TextSpan(start, end - start), braces ? $" {name} = {value} " : $"{name} = {value}");
        }

        var last = members[members.Count - 1];
        bool multiline = text.Substring(start, end - start).Contains('\n') && members.Count > 0
            && text.Substring(start, last.Span.Start - start).Contains('\n');
        return multiline
            ? new TextEdit(new TextSpan(last.Span.End, 0), "\n" + IndentOf(text, last.Span.Start, fallback: "        ") + $"{name} = {value}")
            : new TextEdit(new TextSpan(last.Span.End, 0), $", {name} = {value}");
    }

    private static string IndentOf(string text, int position, string fallback)
    {
        int lineStart = text.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        string before = text.Substring(lineStart, position - lineStart);
        return before.Length > 0 && before.All(c => c == ' ' || c == '\t') ? before : fallback;
    }
}
