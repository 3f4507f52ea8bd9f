using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Options;
using GeoDsl.Tooling.Reports;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GeoDsl.Build;

/// <summary>
/// Writes the project's model report to <c>obj/</c>: the document <c>geodsl check --json</c> prints (JSON) and the same
/// content as Markdown, with every model's shapes, parameters and memory estimate. The models' own problems are the
/// analyzers' to report (once, in the compile step); this task reports only what stops it from writing the report,
/// at the file it concerns.
/// </summary>
public sealed class WriteGeoModelReport : Task
{
    /// <summary>The project's .geomodel files.</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string JsonPath { get; set; } = string.Empty;

    [Required]
    public string MarkdownPath { get; set; } = string.Empty;

    /// <summary>The report's title (the project name).</summary>
    public string Title { get; set; } = "GeoDsl models";

    // The project's budget settings, as the analyzers read them (GeoDsl.props makes them compiler-visible).
    public string? TargetGpu { get; set; }

    public string? GpuMemoryGiB { get; set; }

    public string? MemorySeverity { get; set; }

    public string? MemoryNearSeverity { get; set; }

    public string? MemoryMarginPercent { get; set; }

    /// <summary>Where the last report is kept under the key of its inputs (<see cref="ReportCache"/>); none when empty.</summary>
    public string? CacheDirectory { get; set; }

    public override bool Execute()
    {
        var paths = Models.Select(m => m.GetMetadata("FullPath")).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var readable = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                readable.Add(path);
            }
            else
            {
                Log.LogWarning(null, "GEODSLBUILD001", null, path, 0, 0, 0, 0, $"GeoDsl: the model file '{path}' listed in AdditionalFiles does not exist; remove it from the project or restore the file.");
            }
        }

        // The key is computed without the front end, so a cache hit never loads or JIT-compiles it.
        string? key = string.IsNullOrWhiteSpace(CacheDirectory) ? null : ReportCache.Key(
            readable.Select(path => (path, File.ReadAllText(path))).ToList(),
            new[] { Title, TargetGpu, GpuMemoryGiB, MemorySeverity, MemoryNearSeverity, MemoryMarginPercent },
            new[] { typeof(GeoDsl.Composition.GeoModelCompiler), typeof(ReportJson), typeof(WriteGeoModelReport) }.Select(t => t.Assembly.ManifestModule.ModuleVersionId));
        if (key is not null && ReportCache.TryRead(CacheDirectory!, key, out string json, out string markdown))
        {
            Write(JsonPath, json);
            Write(MarkdownPath, markdown);
            Log.LogMessage(MessageImportance.Normal, $"GeoDsl: model report of {readable.Count} unchanged file(s) written to {JsonPath} and {MarkdownPath} from {CacheDirectory}.");
            return !Log.HasLoggedErrors;
        }

        var report = ModelFiles.Check(readable, ProjectOptions.Read(this), out _);
        json = ReportJson.Serialize(report) + "\n";
        markdown = ModelReportMarkdown.Write(report, Title);
        Write(JsonPath, json);
        Write(MarkdownPath, markdown);
        if (key is not null)
        {
            ReportCache.Store(CacheDirectory!, key, json, markdown);
        }

        Log.LogMessage(MessageImportance.Normal, $"GeoDsl: model report for {report.Models.Count} model(s) written to {JsonPath} and {MarkdownPath}.");
        return !Log.HasLoggedErrors;
    }

    /// <summary>Rewrites only on change, so incremental builds and file watchers see no new timestamp for the same report.</summary>
    internal static void Write(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
    }
}

/// <summary>The budget properties a task was given, read by the front end's one reader of them.</summary>
internal static class ProjectOptions
{
    public static CompileOptions Read(WriteGeoModelReport task) =>
        Read(task, task.TargetGpu, task.GpuMemoryGiB, task.MemorySeverity, task.MemoryNearSeverity, task.MemoryMarginPercent);

    public static CompileOptions Read(Task task, string? targetGpu, string? gpuMemoryGiB, string? memorySeverity, string? memoryNearSeverity, string? memoryMarginPercent)
    {
        var values = new Dictionary<string, string?>
        {
            [BuildProperties.TargetGpu] = targetGpu,
            [BuildProperties.GpuMemoryGiB] = gpuMemoryGiB,
            [BuildProperties.MemorySeverity] = memorySeverity,
            [BuildProperties.MemoryNearSeverity] = memoryNearSeverity,
            [BuildProperties.MemoryMarginPercent] = memoryMarginPercent,
        };

        // Unreadable settings are the analyzers' GEO2003 in the same build; here they only fall back to defaults.
        var options = BuildProperties.Read(name => values.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null, out var problems);
        foreach (string problem in problems)
        {
            task.Log.LogMessage(MessageImportance.Low, "GeoDsl: " + problem);
        }

        return options;
    }
}
