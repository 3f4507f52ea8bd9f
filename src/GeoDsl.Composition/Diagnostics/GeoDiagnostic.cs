using System;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Diagnostics;

/// <summary>Where a diagnostic points: a file, a character span and its line/column form.</summary>
public readonly record struct SourceLocation(string FilePath, TextSpan Span, LinePosition Start, LinePosition End)
{
    public static SourceLocation In(string filePath, SourceText text, TextSpan span) =>
        new(filePath, span, text.GetPosition(span.Start), text.GetPosition(span.End));

    /// <summary>The compiler-style position, one-based: <c>file(line,col)</c>.</summary>
    public override string ToString() => $"{FilePath}({Start.Line + 1},{Start.Character + 1})";
}

/// <summary>A reported problem: the rule, where, and the values filled into its message. Equatable, so it can be cached.</summary>
public sealed record GeoDiagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, EquatableArray<string> Arguments)
{
    public string Id => Descriptor.Id;

    public DiagnosticSeverity Severity => Descriptor.Severity;

    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments.Cast<object>().ToArray());

    /// <summary>The line MSBuild and editors parse: <c>file(line,col): error GEO0003: message</c>.</summary>
    public string ToCompilerString() =>
        $"{Location}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";

    public override string ToString() => ToCompilerString();
}
