using System.Collections.Generic;
using System.Linq;
using GeoDsl.Composition.Helpers;
using GeoDsl.Composition.Text;

namespace GeoDsl.Composition.Diagnostics;

/// <summary>Collects the diagnostics of one source document, turning spans into file positions.</summary>
public sealed class DiagnosticSink
{
    private readonly List<GeoDiagnostic> _diagnostics = new();

    public DiagnosticSink(string filePath, SourceText text)
    {
        FilePath = filePath;
        Text = text;
    }

    public string FilePath { get; }

    public SourceText Text { get; }

    public IReadOnlyList<GeoDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] arguments) =>
        _diagnostics.Add(new GeoDiagnostic(descriptor, SourceLocation.In(FilePath, Text, span), arguments.ToEquatableArray()));

    /// <summary>As <see cref="Report(DiagnosticDescriptor, TextSpan, string[])"/>, with the data a code fix needs.</summary>
    public void Report(DiagnosticDescriptor descriptor, TextSpan span, EquatableArray<DiagnosticProperty> properties, params string[] arguments) =>
        _diagnostics.Add(new GeoDiagnostic(descriptor, SourceLocation.In(FilePath, Text, span), arguments.ToEquatableArray()) { Properties = properties });

    public int Count => _diagnostics.Count;

    /// <summary>The diagnostics reported since <paramref name="mark"/> (a previous <see cref="Count"/>).</summary>
    public IEnumerable<GeoDiagnostic> Since(int mark) => _diagnostics.Skip(mark);
}
