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

/// <summary>
/// One piece of data a code fix needs, computed by the rule that reported the diagnostic (so a fixer never repeats
/// the rule); the analyzers pass them on as Roslyn's <c>Diagnostic.Properties</c>. Names: <see cref="DiagnosticProperties"/>.
/// </summary>
public readonly record struct DiagnosticProperty(string Name, string Value);

/// <summary>A reported problem: the rule, where, and the values filled into its message. Equatable, so it can be cached.</summary>
public sealed record GeoDiagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, EquatableArray<string> Arguments)
{
    /// <summary>What a fix needs (empty when the rule offers none).</summary>
    public EquatableArray<DiagnosticProperty> Properties { get; init; } = EquatableArray<DiagnosticProperty>.Empty;

    /// <summary>The value of property <paramref name="name"/>, or null.</summary>
    public string? Property(string name) => Properties.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();

    public string Id => Descriptor.Id;

    public DiagnosticSeverity Severity => Descriptor.Severity;

    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments.Cast<object>().ToArray());

    /// <summary>The line MSBuild and editors parse: <c>file(line,col): error GEO0003: message</c>.</summary>
    public string ToCompilerString() =>
        $"{Location}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";

    public override string ToString() => ToCompilerString();
}
