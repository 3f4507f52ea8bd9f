using System.Globalization;
using System.Text;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Syntax;
using GeoDsl.Composition.Text;
using Xunit.Sdk;

namespace GeoDsl.Composition.Tests.Fuzz;

/// <summary>
/// What must hold for any text at all: the compiler returns (never throws, never reports GEO9001), every diagnostic
/// lies within the text with consistent line/column and a well-formed message, a file whose models do not all compile
/// reports an error, a file without errors has a model (or is blank), and no compiled model has an error inside it.
/// A failure names the case and prints the input as a C# literal, ready to paste into a regression test.
/// </summary>
internal static class CompilerInvariants
{
    public static void Check(string text, string origin)
    {
        FileAnalysis file;
        try
        {
            file = GeoModelCompiler.Compile("fuzz.geomodel", text);
        }
        catch (Exception e)
        {
            throw Failure(text, origin, "Compile threw " + e);
        }

        var source = new SourceText(text);
        foreach (var d in file.Diagnostics)
        {
            if (d.Id == DiagnosticDescriptors.InternalError.Id)
            {
                throw Failure(text, origin, "internal error: " + d);
            }

            var span = d.Location.Span;
            if (span.Start < 0 || span.Length < 0 || span.End > text.Length)
            {
                throw Failure(text, origin, $"span {span} outside the text (length {text.Length}): {d}");
            }

            if (d.Location.Start != source.GetPosition(span.Start) || d.Location.End != source.GetPosition(span.End))
            {
                throw Failure(text, origin, $"line/column {d.Location.Start}-{d.Location.End} do not match span {span}: {d}");
            }

            string message;
            try
            {
                message = d.Message;
            }
            catch (FormatException e)
            {
                throw Failure(text, origin, $"{d.Id} message does not format: {e.Message}");
            }

            if (message.Contains("{0}", StringComparison.Ordinal) || message.Length == 0)
            {
                throw Failure(text, origin, $"{d.Id} message is malformed: '{message}'");
            }
        }

        var parsed = Parse(text);
        bool blank = IsBlank(text, parsed);
        if (blank && (file.Diagnostics.Count > 0 || file.Models.Count > 0))
        {
            throw Failure(text, origin, "a blank file has diagnostics or models");
        }

        if (!file.HasErrors && !blank && file.Models.Count == 0 && file.VlmModels.Count == 0)
        {
            throw Failure(text, origin, "no errors, yet no model");
        }

        if (!file.HasErrors && parsed.Models.Count != file.Models.Count + file.VlmModels.Count)
        {
            throw Failure(text, origin, $"no errors, yet {parsed.Models.Count} model(s) declared and {file.Models.Count + file.VlmModels.Count} compiled");
        }

        // A model over its memory budget (GEO2xxx) is valid and still compiled, so its class is generated and the
        // estimate reported: the error is about the GPU, not the declaration.
        var errors = file.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("GEO2", StringComparison.Ordinal)).ToList();
        foreach (var model in file.Models)
        {
            var declared = parsed.Models.FirstOrDefault(m => !m.Name.IsMissing && m.Name.Text == model.Spec.Name);
            if (declared is null)
            {
                throw Failure(text, origin, $"model '{model.Spec.Name}' compiled but is not declared");
            }

            var inside = errors.FirstOrDefault(d => d.Location.Span.Start >= declared.Span.Start && d.Location.Span.Start < declared.Span.End);
            if (inside is not null)
            {
                throw Failure(text, origin, $"model '{model.Spec.Name}' compiled despite an error inside it: {inside}");
            }
        }
    }

    /// <summary>Compiling twice gives equal results (specs, traces, estimates and diagnostics are values).</summary>
    public static void CheckDeterministic(string text, string origin)
    {
        var first = GeoModelCompiler.Compile("fuzz.geomodel", text);
        var second = GeoModelCompiler.Compile("fuzz.geomodel", text);
        if (!first.Equals(second))
        {
            throw Failure(text, origin, "two compilations of the same text differ");
        }
    }

    private static GeoModelFileSyntax Parse(string text)
    {
        var source = new SourceText(text);
        return Parser.ParseFile(source, new DiagnosticSink("fuzz.geomodel", source));
    }

    /// <summary>Whitespace and comments only, perhaps under a namespace line: a file that declares nothing, rightly.</summary>
    private static bool IsBlank(string text, GeoModelFileSyntax parsed)
    {
        var source = new SourceText(text);
        var sink = new DiagnosticSink("fuzz.geomodel", source);
        var tokens = new Lexer(source, sink).Lex();
        if (sink.Count > 0 || parsed.Models.Count > 0)
        {
            return false;
        }

        return tokens.Count == 1
            || (parsed.Namespace is { } ns && ns.Parts.All(p => !p.IsMissing) && tokens[tokens.Count - 2].Span.End == ns.Span.End);
    }

    private static XunitException Failure(string text, string origin, string problem) =>
        new($"{problem}\nCase: {origin}\nInput ({text.Length} chars):\n{Literal(text)}");

    /// <summary>The text as a C# string literal.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || c > '~' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
