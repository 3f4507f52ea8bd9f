using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Options;
using GeoDsl.Composition.Reports;
using GeoDsl.Tooling.Reports;
using Spectre.Console;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// <c>geodsl describe &lt;file&gt; [--model NAME] [--json] [--gpu NAME]</c>: a model's stages, parameters and memory; every
/// model of the file in the human form when none is named. For a vlm model, <c>--gpu</c> also checks each fine-tuning mode
/// against that card when the model targets another ("will it fit my 4090?").
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .geomodel file" };
        var model = new Option<string?>("--model") { Description = "Which model, when the file declares several (the human form describes them all without it)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (docs/cli-json.md)" };
        var command = new Command("describe", "Show a model's shape trace, parameter counts and GPU memory estimate.") { file, model, json };
        var budget = new BudgetArguments();
        budget.AddTo(command);
        command.SetAction(parse => budget.Read(parse, error) is { } options
            ? Run(parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(json), output, error, options, parse.GetValue(budget.Gpu)?.Trim().ToLowerInvariant())
            : GeoDslCommandLine.UsageError);
        return command;
    }

    /// <param name="options">The budget of models without <c>target</c> (<c>--gpu</c>, <c>--gpu-memory-gib</c>); the defaults when null.</param>
    /// <param name="compareGpu">A catalog GPU (<c>--gpu</c>) to check a vlm model's fine-tuning modes against besides its target; none when null.</param>
    public static int Run(string path, string? modelName, bool json, TextWriter output, TextWriter error, CompileOptions? options = null, string? compareGpu = null)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"geodsl: '{path}' does not exist.");
            return GeoDslCommandLine.UsageError;
        }

        var file = GeoModelCompiler.Compile(path, File.ReadAllText(path), options: options);
        var reports = ModelFiles.Reports(file).ToList();
        var gpu = compareGpu is null ? null : Gpus.Find(compareGpu);
        if (modelName is null && !json && reports.Count > 1)
        {
            // One JSON document names one model; the human form can answer for every model of the file at once.
            foreach (var each in reports)
            {
                WriteHuman(each, output, gpu);
            }

            return reports.Any(r => r.Diagnostics.Any(d => d.Severity == "error")) ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.Success;
        }

        ModelReport? report = modelName is null
            ? reports.Count == 1 ? reports[0] : null
            : reports.FirstOrDefault(r => r.Model == modelName);
        if (report is null)
        {
            error.WriteLine(reports.Count == 0
                ? $"geodsl: '{path}' declares no model." + string.Concat(file.Diagnostics.Select(d => "\n" + d.ToCompilerString()))
                : $"geodsl: '{path}' declares {string.Join(", ", reports.Select(r => r.Model))}; choose one with --model.");
            return reports.Count == 0 && file.HasErrors ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.UsageError;
        }

        if (json)
        {
            output.WriteLine(ReportJson.Serialize(report));
        }
        else
        {
            WriteHuman(report, output, gpu);
        }

        return report.Diagnostics.Any(d => d.Severity == "error") ? GeoDslCommandLine.ModelErrors : GeoDslCommandLine.Success;
    }

    private static void WriteHuman(ModelReport report, TextWriter output, Gpu? compareGpu)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Detect, ColorSystem = ColorSystemSupport.Detect });
        if (!ReferenceEquals(output, System.Console.Out))
        {
            // Redirected or captured output has no terminal width; Spectre's 80 columns would wrap the fine-tuning table's rows.
            console.Profile.Width = 200;
        }

        console.Write(new Rule($"[bold]{Markup.Escape(report.Model)}[/] ({Markup.Escape(report.Task ?? "invalid")})").LeftJustified());
        if (report.Input is { } input)
        {
            console.MarkupLine($"Input: {input.Bands.Count} bands ({Markup.Escape(string.Join(", ", input.Bands))}) × {input.Frames} frame(s) × {input.Height}×{input.Width} px");
        }

        if (report.Stages.Count > 0)
        {
            var table = new Table().AddColumns("Stage", "Component", "Output", "Parameters");
            foreach (var stage in report.Stages)
            {
                string outputs = stage.Outputs.Distinct().Count() == 1 && stage.Outputs.Count > 1 ? $"{stage.Outputs.Count} × {stage.Outputs[0]}" : string.Join(", ", stage.Outputs);
                table.AddRow(Markup.Escape(stage.Kind), Markup.Escape(stage.Name), Markup.Escape(outputs), stage.Parameters.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        if (report.Parameters is { } parameters)
        {
            console.MarkupLine($"Parameters: {parameters.Total.ToString("N0", CultureInfo.InvariantCulture)} ({parameters.Trainable.ToString("N0", CultureInfo.InvariantCulture)} trainable)");
        }

        if (report.Memory is { } memory)
        {
            string verdict = memory.Fits ? "[green]fits[/]" : "[red]does not fit[/]";
            console.MarkupLine($"Training on {Markup.Escape(memory.GpuName)}: {MemoryEstimate.Format(memory.TrainingDeviceBytes)} on the device, peak allocated {MemoryEstimate.Format(memory.TrainingPeakBytes)}: {verdict} in {MemoryEstimate.Format(memory.BudgetBytes)}");
            foreach (var item in memory.Breakdown.Where(i => i.Bytes > 0).OrderByDescending(i => i.Bytes))
            {
                console.MarkupLine($"  {Markup.Escape(item.Name),-22} {MemoryEstimate.Format(item.Bytes),10}");
            }

            console.MarkupLine($"Inference: {MemoryEstimate.Format(memory.InferenceDeviceBytes)} on the device");
        }

        if (report.Vlm is { } vlm)
        {
            WriteFineTuning(console, vlm, report.Memory, compareGpu);
        }

        foreach (var diagnostic in report.Diagnostics)
        {
            output.WriteLine($"{diagnostic.File}({diagnostic.Line},{diagnostic.Column}): {diagnostic.Severity} {diagnostic.Id}: {diagnostic.Message}");
        }
    }

    /// <summary>
    /// A vlm model's visual tokens and which fine-tuning modes fit its target, and <paramref name="compareGpu"/> when it is
    /// another card, each with the largest terms of its estimate: the "will it fit my card" answer.
    /// </summary>
    private static void WriteFineTuning(IAnsiConsole console, VlmReport vlm, MemoryReport? memory, Gpu? compareGpu)
    {
        if (vlm.VisualTokensPerSample > 0)
        {
            console.MarkupLine($"Visual tokens: {vlm.VisualTokensPerTile} per tile, {vlm.VisualTokensPerSample} per sample, in a context of {vlm.ContextLength}");
        }

        var other = compareGpu is not null && compareGpu.Name != memory?.Gpu ? compareGpu : null;
        var table = new Table().AddColumns("Fine-tuning mode", "Trainable", "On the device", memory is null ? "Fits" : $"Fits {Markup.Escape(memory.GpuName)}");
        if (other is not null)
        {
            table.AddColumn($"Fits {Markup.Escape(other.DisplayName)}");
        }

        table.AddColumn("Largest terms (allocated)");
        foreach (var option in vlm.FineTuning)
        {
            var cells = new List<string> { Markup.Escape(option.Mode), option.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture), MemoryEstimate.Format(option.DeviceBytes), YesNo(option.Fits) };
            if (other is not null)
            {
                cells.Add(YesNo(option.FitsOn(other)));
            }

            cells.Add(Markup.Escape(string.Join(", ", option.Breakdown.Where(i => i.Bytes > 0).OrderByDescending(i => i.Bytes).Take(3).Select(i => $"{i.Name} {MemoryEstimate.Format(i.Bytes)}"))));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
    }

    private static string YesNo(bool fits) => fits ? "[green]yes[/]" : "[red]no[/]";
}
