using System.CommandLine;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Options;
using GeoDsl.Tooling.Reports;
using GeoDsl.Tooling.TerraTorch;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>geodsl export terratorch &lt;file&gt;</c>: the model as a TerraTorch/LightningCLI config for multi-GPU runs;
/// <c>geodsl import terratorch &lt;yaml&gt;</c>: a TerraTorch config as a <c>.geomodel</c> file, checked by the front end.
/// </summary>
internal static class TerraTorchCommands
{
    public static Command Export(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .geomodel file" };
        var model = new Option<string?>("--model") { Description = "Which model, when the file declares several" };
        var target = new Option<string?>("--output", "-o") { Description = "Write the YAML here instead of printing it" };
        var devices = new Option<int>("--devices") { Description = "GPUs per node (Lightning's trainer.devices)", DefaultValueFactory = _ => 1 };
        var nodes = new Option<int>("--nodes") { Description = "Machines (Lightning's trainer.num_nodes)", DefaultValueFactory = _ => 1 };
        var strategy = new Option<string>("--strategy") { Description = "ddp (a copy per GPU) or fsdp (weights, gradients and optimizer states sharded)", DefaultValueFactory = _ => "ddp" };
        var terratorch = new Command("terratorch", "Write the model as a config for 'terratorch fit -c', for one GPU or many.") { file, model, target, devices, nodes, strategy };
        terratorch.SetAction(parse => RunExport(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(target),
            new TerraTorchRun(parse.GetValue(devices), parse.GetValue(nodes), parse.GetValue(strategy)!.Trim().ToLowerInvariant()), output, error));
        return new Command("export", "Export a model to another framework.") { terratorch };
    }

    public static Command Import(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A TerraTorch / LightningCLI YAML config" };
        var model = new Option<string?>("--model") { Description = "Name of the model to write (default: from the file name)" };
        var target = new Option<string?>("--output", "-o") { Description = "Write the .geomodel here instead of printing it" };
        var terratorch = new Command("terratorch", "Read a TerraTorch config into a .geomodel file and check it: what GeoDsl cannot express and what TerraTorch would accept but is wrong.") { file, model, target };
        var budget = new BudgetArguments();
        budget.AddTo(terratorch);
        terratorch.SetAction(parse => budget.Read(parse, error) is { } options
            ? RunImport(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(target), output, error, options)
            : GeoDslCommandLine.UsageError);
        return new Command("import", "Import a model from another framework.") { terratorch };
    }

    public static int RunExport(string path, string? modelName, string? target, TerraTorchRun run, TextWriter output, TextWriter error)
    {
        if (run.Problem() is { } problem)
        {
            error.WriteLine("geodsl: " + problem);
            return GeoDslCommandLine.UsageError;
        }

        var selection = ModelSelection.Choose(path, modelName, "exporting");
        if (!CommandOutput.Report(selection, error, out var analysis))
        {
            return CommandOutput.ExitCode(selection);
        }

        var export = TerraTorchExporter.Export(analysis.Spec, run, path);
        foreach (string note in export.Notes)
        {
            error.WriteLine($"{path}: note: {note}");
        }

        if (target is null)
        {
            output.Write(export.Yaml);
        }
        else
        {
            File.WriteAllText(target, export.Yaml);
            output.WriteLine($"Wrote {target}: terratorch fit -c {target}");
        }

        return GeoDslCommandLine.Success;
    }

    /// <param name="options">The budget to check the imported model against (<c>--gpu</c>, <c>--gpu-memory-gib</c>).</param>
    public static int RunImport(string path, string? modelName, string? target, TextWriter output, TextWriter error, CompileOptions? options = null)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"geodsl: '{path}' does not exist.");
            return GeoDslCommandLine.UsageError;
        }

        TerraTorchImport imported;
        try
        {
            imported = TerraTorchImporter.Import(path, File.ReadAllText(path), modelName, options);
        }
        catch (TerraTorchConfigException e)
        {
            error.WriteLine("geodsl: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }

        foreach (var note in imported.Notes)
        {
            error.WriteLine($"{path}({note.Line}): note: {note.Message}");
        }

        foreach (var diagnostic in imported.Diagnostics)
        {
            error.WriteLine(diagnostic.ToCompilerString(path));
        }

        if (target is null)
        {
            output.Write(imported.GeoModel);
        }
        else
        {
            File.WriteAllText(target, imported.GeoModel);
            output.WriteLine($"Wrote {target}" + (imported.HasErrors ? " (it has errors: see above)." : "."));
        }

        return imported.HasErrors ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.Success;
    }
}
