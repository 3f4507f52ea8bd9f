using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Reports;

namespace GeoDsl.Cli.Commands;

/// <summary>Finding the files a command was given, and reporting each model of a compiled file.</summary>
internal static class ModelFiles
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
}
