using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using GeoDsl.Composition.Memory;
using GeoDsl.Composition.Reports;

namespace GeoDsl.Tooling.Reports;

/// <summary>The build's model report as Markdown: per model its input, shape trace, parameters, memory and diagnostics.</summary>
public static class ModelReportMarkdown
{
    public static string Write(CheckReport report, string title)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n");
        text.Append(Count(report.Models.Count, "model")).Append(", ").Append(Count(report.Errors, "error")).Append(", ")
            .Append(Count(report.Warnings, "warning")).Append(".\n");
        foreach (var model in report.Models)
        {
            Model(text, model);
        }

        return text.ToString();
    }

    private static void Model(StringBuilder text, ModelReport model)
    {
        text.Append("\n## ").Append(model.Model).Append(" (").Append(model.Task ?? "has errors").Append(")\n\n");
        text.Append("File: `").Append(model.File).Append("`\n\n");
        if (model.Input is { } input)
        {
            text.Append("Input: ").Append(input.Bands.Count).Append(" bands (").Append(string.Join(", ", input.Bands)).Append(") × ")
                .Append(input.Frames).Append(" frame(s) × ").Append(input.Height).Append('×').Append(input.Width).Append(" px\n\n");
        }

        if (model.Stages.Count > 0)
        {
            text.Append("| Stage | Component | Output | Parameters |\n|---|---|---|---:|\n");
            foreach (var stage in model.Stages)
            {
                text.Append("| ").Append(stage.Kind).Append(" | ").Append(stage.Name).Append(" | ").Append(Escape(Outputs(stage.Outputs)))
                    .Append(" | ").Append(Number(stage.Parameters)).Append(" |\n");
            }

            text.Append('\n');
        }

        if (model.Parameters is { } parameters)
        {
            text.Append("Parameters: ").Append(Number(parameters.Total)).Append(" (").Append(Number(parameters.Trainable)).Append(" trainable)\n\n");
        }

        if (model.Memory is { } memory)
        {
            text.Append("Training on ").Append(memory.GpuName).Append(": ").Append(MemoryEstimate.Format(memory.TrainingDeviceBytes))
                .Append(" on the device (peak allocated ").Append(MemoryEstimate.Format(memory.TrainingPeakBytes)).Append("), ")
                .Append(memory.Fits ? "fits" : "does not fit").Append(" in ").Append(MemoryEstimate.Format(memory.BudgetBytes))
                .Append("; inference ").Append(MemoryEstimate.Format(memory.InferenceDeviceBytes)).Append(" on the device.\n\n");
            text.Append("| Training memory | Bytes |\n|---|---:|\n");
            foreach (var item in memory.Breakdown.Where(i => i.Bytes > 0))
            {
                text.Append("| ").Append(item.Name).Append(" | ").Append(MemoryEstimate.Format(item.Bytes)).Append(" |\n");
            }

            text.Append('\n');
        }

        foreach (var diagnostic in model.Diagnostics)
        {
            text.Append("- ").Append(diagnostic.Severity).Append(" [").Append(diagnostic.Id).Append("](").Append(diagnostic.HelpLink).Append(") line ")
                .Append(diagnostic.Line).Append(": ").Append(Escape(diagnostic.Message)).Append('\n');
        }
    }

    private static string Outputs(IReadOnlyList<string> outputs) =>
        outputs.Distinct().Count() == 1 && outputs.Count > 1 ? $"{outputs.Count} × {outputs[0]}" : string.Join(", ", outputs);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(int value, string noun) => value.ToString(CultureInfo.InvariantCulture) + " " + noun + (value == 1 ? string.Empty : "s");

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
