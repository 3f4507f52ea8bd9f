using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Reports;

namespace GeoDsl.Tooling.Reports;

/// <summary>Finding the files a command was given, and reporting each model of a compiled file.</summary>
public static class ModelFiles
{
    public static bool TryExpand(IReadOnlyList<string> inputs, TextWriter error, out List<string> paths)
    {
        paths = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                paths.AddRange(Directory.EnumerateFiles(input, "*.geomodel", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                paths.Add(input);
            }
            else
            {
                error.WriteLine($"geodsl: '{input}' is neither a file nor a folder.");
                return false;
            }
        }

        if (paths.Count == 0)
        {
            error.WriteLine("geodsl: no .geomodel files found in " + string.Join(", ", inputs) + ".");
            return false;
        }

        return true;
    }

    /// <summary>One report per declared model, valid or not, with the diagnostics inside its declaration.</summary>
    public static IEnumerable<ModelReport> Reports(FileAnalysis file)
    {
        foreach (var declaration in file.Declarations)
        {
            var analysis = file.Models.FirstOrDefault(m => m.Spec.Name == declaration.Name);
            var vlm = file.VlmModels.FirstOrDefault(m => m.Spec.Name == declaration.Name);
            var diagnostics = file.DiagnosticsOf(declaration);
            yield return analysis is not null ? Reporting.Model(analysis, file.Path, diagnostics)
                : vlm is not null ? Reporting.Vlm(vlm, file.Path, diagnostics)
                : Reporting.Invalid(declaration.Name, file.Path, diagnostics);
        }
    }

    /// <summary>
    /// Compiles every file and gathers what <c>geodsl check --json</c> prints: the models, the diagnostics and their counts.
    /// The build's model report is the same document.
    /// </summary>
    public static CheckReport Check(IEnumerable<string> paths, CompileOptions? options, out IReadOnlyList<GeoDiagnostic> diagnostics)
    {
        var reports = new List<ModelReport>();
        var all = new List<GeoDiagnostic>();
        foreach (string path in paths)
        {
            var file = GeoModelCompiler.Compile(path, File.ReadAllText(path), options: options);
            all.AddRange(file.Diagnostics);
            reports.AddRange(Reports(file));
        }

        diagnostics = all;
        return new CheckReport(
            all.Count(d => d.Severity == DiagnosticSeverity.Error),
            all.Count(d => d.Severity == DiagnosticSeverity.Warning),
            reports,
            all.Select(Reporting.Diagnostic).ToList());
    }
}
