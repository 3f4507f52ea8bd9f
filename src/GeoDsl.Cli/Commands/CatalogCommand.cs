using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Reports;
using GeoDsl.Tooling.Reports;
using Spectre.Console;

namespace GeoDsl.Cli.Commands;

/// <summary><c>geodsl catalog [--kind KIND] [--json]</c>: every backbone, neck, decoder, head and GPU GeoDsl knows.</summary>
internal static class CatalogCommand
{
    public static Command Create(TextWriter output)
    {
        var kind = new Option<string?>("--kind") { Description = "Only entries of this kind: backbone, neck, decoder, head or gpu" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (docs/cli-json.md)" };
        var command = new Command("catalog", "List the catalog: names, bands, features and parameter counts.") { kind, json };
        command.SetAction(parse => Run(parse.GetValue(kind), parse.GetValue(json), output));
        return command;
    }

    public static int Run(string? kind, bool json, TextWriter output)
    {
        var entries = CatalogReport.Of(ComponentCatalog.Default).Where(e => kind is null || e.Kind == kind).ToList();
        if (json)
        {
            output.WriteLine(ReportJson.Serialize(entries));
            return GeoDslCommandLine.Success;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });

        // Shapes and band lists are long: give the table room even when the output is redirected (80 columns).
        console.Profile.Width = System.Math.Max(console.Profile.Width, 150);
        var table = new Table().AddColumns("Kind", "Name", "Bands", "Features", "Parameters");
        foreach (var entry in entries)
        {
            string bands = entry.Bands.Count == 0 ? (entry.Kind == "backbone" ? "any" : string.Empty)
                : Bands.Sensors.FirstOrDefault(s => s.Bands.SequenceEqual(entry.Bands))?.Name ?? string.Join(", ", entry.Bands);
            string parameters = entry.Parameters?.ToString("N0", CultureInfo.InvariantCulture)
                ?? (entry.MemoryBytes is { } bytes ? (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB" : string.Empty);
            table.AddRow(Markup.Escape(entry.Kind), Markup.Escape(entry.Name), Markup.Escape(bands), Markup.Escape(entry.Features), parameters);
        }

        console.Write(table);
        return GeoDslCommandLine.Success;
    }
}
