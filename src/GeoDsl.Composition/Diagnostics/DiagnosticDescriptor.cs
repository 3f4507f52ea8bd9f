namespace GeoDsl.Composition.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One rule of the diagnostics catalog. The analyzers turn each into a Roslyn descriptor with the same ID,
/// so the CLI, the MSBuild tasks and the IDE report a problem identically.
/// </summary>
public sealed record DiagnosticDescriptor(string Id, string Title, string MessageFormat, DiagnosticSeverity Severity, string Category)
{
    public string HelpLink => $"https://github.com/geodsl/geodsl/blob/main/docs/diagnostics/{Id}.md";
}
