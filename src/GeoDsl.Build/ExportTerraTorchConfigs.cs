using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Tooling.TerraTorch;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GeoDsl.Build;

/// <summary>
/// On request (<c>GeoDslExportTerraTorch=true</c>), writes a TerraTorch/LightningCLI config per valid model, as
/// <c>geodsl export terratorch</c> does. What the export cannot carry becomes a warning at the model's declaration.
/// </summary>
public sealed class ExportTerraTorchConfigs : Task
{
    [Required]
    public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    public string? Devices { get; set; }

    public string? Nodes { get; set; }

    public string? Strategy { get; set; }

    public string? TargetGpu { get; set; }

    public string? GpuMemoryGiB { get; set; }

    /// <summary>The configs written.</summary>
    [Output]
    public ITaskItem[] Configs { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (Run() is not { } run)
        {
            return false;
        }

        var options = ProjectOptions.Read(this, TargetGpu, GpuMemoryGiB, null, null, null);
        var written = new List<ITaskItem>();
        foreach (string path in Models.Select(m => m.GetMetadata("FullPath")).Where(File.Exists).Distinct(StringComparer.Ordinal))
        {
            var file = GeoModelCompiler.Compile(path, File.ReadAllText(path), options: options);
            foreach (var model in file.Models)
            {
                var export = TerraTorchExporter.Export(model.Spec, run, path);
                string target = Path.Combine(OutputDirectory, model.Spec.Name + ".terratorch.yaml");
                WriteGeoModelReport.Write(target, export.Yaml);
                written.Add(new TaskItem(target));
                var declaration = file.Declarations.First(d => d.Name == model.Spec.Name);
                int line = LineOf(File.ReadAllText(path), declaration.Span.Start);
                foreach (string note in export.Notes)
                {
                    Log.LogWarning(null, "GEODSLEXPORT", null, path, line, 1, line, 1, $"TerraTorch export of {model.Spec.Name}: {note}");
                }
            }
        }

        Configs = written.ToArray();
        Log.LogMessage(MessageImportance.High, $"GeoDsl: {written.Count} TerraTorch config(s) written to {OutputDirectory}.");
        return !Log.HasLoggedErrors;
    }

    private TerraTorchRun? Run()
    {
        var run = new TerraTorchRun(Int(Devices, 1, "GeoDslTerraTorchDevices"), Int(Nodes, 1, "GeoDslTerraTorchNodes"),
            string.IsNullOrWhiteSpace(Strategy) ? "ddp" : Strategy!.Trim().ToLowerInvariant());
        if (Log.HasLoggedErrors)
        {
            return null;
        }

        if (run.Problem() is { } problem)
        {
            Log.LogError(null, "GEODSLEXPORT", null, null, 0, 0, 0, 0, "GeoDslTerraTorchStrategy: " + problem + " Set the property to ddp or fsdp.");
            return null;
        }

        return run;
    }

    private int Int(string? text, int fallback, string property)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1)
        {
            return value;
        }

        Log.LogError(null, "GEODSLEXPORT", null, null, 0, 0, 0, 0, $"{property} must be a whole number of 1 or more; got '{text}'.");
        return fallback;
    }

    private static int LineOf(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
