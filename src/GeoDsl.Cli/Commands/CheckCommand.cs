using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using GeoDsl.Composition.Options;
using GeoDsl.Tooling.Reports;

namespace GeoDsl.Cli.Commands;

/// <summary><c>geodsl check &lt;files&gt;</c>: compiler-style diagnostics, non-zero exit on errors.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("files") { Description = ".geomodel files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (docs/cli-json.md) instead of compiler-style lines" };
        var command = new Command("check", "Check .geomodel files and report every problem as 'file(line,col): error GEO…: …'.") { files, json };
        var budget = new BudgetArguments();
        budget.AddTo(command);
        command.SetAction(parse => budget.Read(parse, error) is { } options
            ? Run(parse.GetValue(files)!, parse.GetValue(json), output, error, options)
            : GeoDslCommandLine.UsageError);
        return command;
    }

    /// <param name="options">The budget of models without <c>target</c> (<c>--gpu</c>, <c>--gpu-memory-gib</c>); the defaults when null.</param>
    public static int Run(IReadOnlyList<string> inputs, bool json, TextWriter output, TextWriter error, CompileOptions? options = null)
    {
        if (!ModelFiles.TryExpand(inputs, error, out var paths))
        {
            return GeoDslCommandLine.UsageError;
        }

        var report = ModelFiles.Check(paths, options, out var diagnostics);
        if (json)
        {
            output.WriteLine(ReportJson.Serialize(report));
        }
        else
        {
            foreach (var diagnostic in diagnostics)
            {
                output.WriteLine(diagnostic.ToCompilerString());
            }

            output.WriteLine($"{paths.Count} file(s), {report.Models.Count} model(s): {report.Errors} error(s), {report.Warnings} warning(s).");
        }

        return report.Errors > 0 ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.Success;
    }
}
