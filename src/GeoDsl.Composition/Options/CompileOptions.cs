using System;
using System.Collections.Generic;
using System.Globalization;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Options;

/// <summary>How a memory-budget diagnostic is reported: as the catalog says, at another severity, or not at all.</summary>
public enum BudgetSeverity
{
    Error,
    Warning,
    Info,
    None,
}

/// <summary>
/// Project-wide settings of the front end, the same for every file of a compilation: the GPU a model is checked
/// against when it names none, and how budget diagnostics are reported. MSBuild sets them through
/// <c>build_property.*</c> (see <see cref="BuildProperties"/>), the CLI through <c>--gpu</c> and <c>--gpu-memory-gib</c>.
/// A value record, so the generator caches on it.
/// </summary>
public sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    /// <summary>The project's GPU (<c>GeoDslTargetGpu</c>) for models without <c>target</c>; null means the RTX 4090.</summary>
    public string? TargetGpu { get; init; }

    /// <summary>The project's budget in GiB (<c>GeoDslGpuMemoryGiB</c>); it replaces the card's size for models without <c>target</c>.</summary>
    public double? GpuMemoryGiB { get; init; }

    /// <summary>Training that does not fit (GEO2001): an error unless the project says otherwise.</summary>
    public BudgetSeverity OverBudget { get; init; } = BudgetSeverity.Error;

    /// <summary>Training that fits with less than <see cref="NearBudgetFraction"/> to spare (GEO2002): a warning by default.</summary>
    public BudgetSeverity NearBudget { get; init; } = BudgetSeverity.Warning;

    /// <summary>How close to the budget counts as "near": 0.10 warns above 90% of the budget.</summary>
    public double NearBudgetFraction { get; init; } = 0.10;

    /// <summary>The project's custom components ([GeoCustomBackbone] and friends), added to the catalog by name.</summary>
    public EquatableArray<Catalog.Custom.CustomComponentDeclaration> CustomComponents { get; init; } = EquatableArray<Catalog.Custom.CustomComponentDeclaration>.Empty;

    /// <summary>The severity of a budget rule under these options; null when it is switched off.</summary>
    public static DiagnosticSeverity? ToSeverity(BudgetSeverity severity) => severity switch
    {
        BudgetSeverity.Error => DiagnosticSeverity.Error,
        BudgetSeverity.Warning => DiagnosticSeverity.Warning,
        BudgetSeverity.Info => DiagnosticSeverity.Info,
        _ => null,
    };
}

/// <summary>
/// The MSBuild properties that set <see cref="CompileOptions"/> (declared as <c>CompilerVisibleProperty</c> in
/// GeoDsl.props, read as <c>build_property.NAME</c>). Values that cannot be read are listed as problems and left at
/// their defaults, so one typo in a project file does not hide every model's check.
/// </summary>
public static class BuildProperties
{
    public const string TargetGpu = "GeoDslTargetGpu";
    public const string GpuMemoryGiB = "GeoDslGpuMemoryGiB";
    public const string MemorySeverity = "GeoDslMemorySeverity";
    public const string MemoryNearSeverity = "GeoDslMemoryNearSeverity";
    public const string MemoryMarginPercent = "GeoDslMemoryMarginPercent";

    public static IReadOnlyList<string> All { get; } = new[] { TargetGpu, GpuMemoryGiB, MemorySeverity, MemoryNearSeverity, MemoryMarginPercent };

    private static readonly string[] Severities = { "error", "warning", "info", "none" };

    /// <summary>Reads the options from property values (<paramref name="property"/> gives null or empty when unset).</summary>
    /// <param name="problems">One sentence per unreadable value, naming the property and what it accepts.</param>
    public static CompileOptions Read(Func<string, string?> property, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var options = CompileOptions.Default;
        if (Value(property, TargetGpu) is { } gpu)
        {
            string name = gpu.ToLowerInvariant();
            if (Gpus.Find(name) is null)
            {
                found.Add($"{TargetGpu} '{gpu}' is not a known GPU.{Spelling.DidYouMean(name, Gpus.Names)} Known GPUs: {string.Join(", ", Gpus.Names)}; or set {GpuMemoryGiB} to a size in GiB.");
            }
            else
            {
                options = options with { TargetGpu = name };
            }
        }

        if (Value(property, GpuMemoryGiB) is { } size)
        {
            if (double.TryParse(size, NumberStyles.Float, CultureInfo.InvariantCulture, out double gib) && gib > 0 && gib <= 65536)
            {
                options = options with { GpuMemoryGiB = gib };
            }
            else
            {
                found.Add($"{GpuMemoryGiB} '{size}' is not a memory size; give the GiB the models may use, e.g. 20 or 23.5.");
            }
        }

        options = options with
        {
            OverBudget = Severity(property, MemorySeverity, options.OverBudget, found),
            NearBudget = Severity(property, MemoryNearSeverity, options.NearBudget, found),
        };

        if (Value(property, MemoryMarginPercent) is { } margin)
        {
            if (double.TryParse(margin, NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent >= 0 && percent < 100)
            {
                options = options with { NearBudgetFraction = percent / 100 };
            }
            else
            {
                found.Add($"{MemoryMarginPercent} '{margin}' is not a percentage from 0 to 99; e.g. 10 warns when training needs more than 90% of the budget.");
            }
        }

        problems = found;
        return options;
    }

    /// <summary>Parses one severity name (error, warning, info, none); null when it is none of them.</summary>
    public static BudgetSeverity? ParseSeverity(string text) => Array.IndexOf(Severities, text.Trim().ToLowerInvariant()) switch
    {
        0 => BudgetSeverity.Error,
        1 => BudgetSeverity.Warning,
        2 => BudgetSeverity.Info,
        3 => BudgetSeverity.None,
        _ => null,
    };

    private static BudgetSeverity Severity(Func<string, string?> property, string name, BudgetSeverity fallback, List<string> problems)
    {
        if (Value(property, name) is not { } text)
        {
            return fallback;
        }

        if (ParseSeverity(text) is { } severity)
        {
            return severity;
        }

        problems.Add($"{name} '{text}' is not a severity; use error, warning, info or none.");
        return fallback;
    }

    private static string? Value(Func<string, string?> property, string name) =>
        property(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
