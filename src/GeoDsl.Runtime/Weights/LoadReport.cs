using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>A tensor whose shape in the file differs from the module's.</summary>
/// <param name="Name">The module's key.</param>
/// <param name="FileKey">The key in the file (differs from <paramref name="Name"/> when renamed).</param>
/// <param name="ExpectedShape">The module's shape.</param>
/// <param name="FileShape">The file's shape.</param>
public sealed record ShapeMismatch(string Name, string FileKey, IReadOnlyList<long> ExpectedShape, IReadOnlyList<long> FileShape)
{
    public override string ToString() =>
        $"{Name}{(FileKey == Name ? "" : $" (file: {FileKey})")}: module {SafetensorsTensorInfo.FormatShape(ExpectedShape)}, file {SafetensorsTensorInfo.FormatShape(FileShape)}";
}

/// <summary>A loaded tensor whose values were converted from the file's dtype to the module's.</summary>
public sealed record DTypeConversion(string Name, ScalarType From, ScalarType To);

/// <summary>
/// What <see cref="StateDictLoader.Load"/> did with each tensor, by name. All lists are sorted
/// ordinally. Missing, Unexpected and Mismatched are the problems strict loading refuses.
/// </summary>
public sealed class LoadReport
{
    internal LoadReport(
        string? source,
        int moduleTensorCount,
        IEnumerable<string> loaded,
        IEnumerable<string> missing,
        IEnumerable<string> unexpected,
        IEnumerable<ShapeMismatch> mismatched,
        IEnumerable<ShapeMismatch> skippedShapeMismatches,
        IEnumerable<string> ignored,
        IEnumerable<DTypeConversion> converted,
        string? hint)
    {
        Source = source;
        ModuleTensorCount = moduleTensorCount;
        Loaded = SortNames(loaded);
        Missing = SortNames(missing);
        Unexpected = SortNames(unexpected);
        Mismatched = mismatched.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        SkippedShapeMismatches = skippedShapeMismatches.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        Ignored = SortNames(ignored);
        Converted = converted.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        Hint = hint;
    }

    /// <summary>Where the tensors came from (a file name), when known.</summary>
    public string? Source { get; }

    /// <summary>How many tensors (parameters and buffers) the module's state dict has.</summary>
    public int ModuleTensorCount { get; }

    /// <summary>Module tensors that received the file's values.</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>Module tensors the file has no tensor for (module keys).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>File tensors the module has no tensor for (file keys).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors present on both sides with different shapes; not loaded.</summary>
    public IReadOnlyList<ShapeMismatch> Mismatched { get; }

    /// <summary>Shape differences allowed by <see cref="LoadOptions.AllowShapeMismatch"/>: the module kept its own values.</summary>
    public IReadOnlyList<ShapeMismatch> SkippedShapeMismatches { get; }

    /// <summary>Keys (file or module) that matched <see cref="LoadOptions.IgnorePatterns"/> or that <see cref="LoadOptions.KeyMapping"/> dropped.</summary>
    public IReadOnlyList<string> Ignored { get; }

    /// <summary>Loaded tensors whose dtype was converted (e.g. BF16 in the file, float32 in the module).</summary>
    public IReadOnlyList<DTypeConversion> Converted { get; }

    /// <summary>A suggested fix derived from the names (e.g. a prefix to strip), or null.</summary>
    public string? Hint { get; }

    /// <summary>True when nothing is missing, unexpected or mismatched.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>"2 missing, 1 unexpected, 1 shape mismatch", or "no problems".</summary>
    public string ProblemSummary
    {
        get
        {
            var parts = new List<string>();
            if (Missing.Count > 0)
            {
                parts.Add($"{Missing.Count} missing");
            }
            if (Unexpected.Count > 0)
            {
                parts.Add($"{Unexpected.Count} unexpected");
            }
            if (Mismatched.Count > 0)
            {
                parts.Add($"{Mismatched.Count} shape mismatch{(Mismatched.Count == 1 ? "" : "es")}");
            }
            return parts.Count == 0 ? "no problems" : string.Join(", ", parts);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var from = Source is null ? "" : $" from '{Source}'";
        text.Append(CultureInfo.InvariantCulture, $"Loaded {Loaded.Count} of {ModuleTensorCount} module tensors{from}: {ProblemSummary}.").AppendLine();
        AppendProblemSections(text);
        AppendSection(text, "Skipped, shape allowed to differ; the module kept its own values", SkippedShapeMismatches.Select(m => m.ToString()));
        AppendSection(text, "Ignored", Ignored);
        foreach (var group in Converted.GroupBy(c => (c.From, c.To)).OrderBy(g => g.Key.From.ToString(), StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"Converted {group.Count()} tensor(s) from {group.Key.From} to {group.Key.To}.").AppendLine();
        }
        if (Hint is not null)
        {
            text.Append("Hint: ").Append(Hint).AppendLine();
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>Missing, unexpected and mismatched names under headings with counts; shared with the strict-mode exception.</summary>
    internal void AppendProblemSections(StringBuilder text)
    {
        AppendSection(text, "Missing, in the module but not in the file", Missing);
        AppendSection(text, "Unexpected, in the file but not in the module", Unexpected);
        AppendSection(text, "Shape mismatch", Mismatched.Select(m => m.ToString()));
    }

    private static void AppendSection(StringBuilder text, string heading, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }
        text.Append(CultureInfo.InvariantCulture, $"{heading} ({list.Count}):").AppendLine();
        foreach (var line in list)
        {
            text.Append("  ").Append(line).AppendLine();
        }
    }

    private static string[] SortNames(IEnumerable<string> names) =>
        names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
}
