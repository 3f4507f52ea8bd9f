using System.CommandLine;
using System.IO;
using GeoDsl.Tooling.Docs;

namespace GeoDsl.Cli.Commands;

/// <summary><c>geodsl docs [--output docs/catalog.md]</c>: the language reference, generated from the catalog.</summary>
internal static class DocsCommand
{
    public static Command Create(TextWriter output)
    {
        var target = new Option<string?>("--output", "-o") { Description = "Write the Markdown here instead of printing it (the repository keeps it in docs/catalog.md)" };
        var command = new Command("docs", "Print the language reference: every keyword, section setting, component and argument.") { target };
        command.SetAction(parse => Run(parse.GetValue(target), output));
        return command;
    }

    public static int Run(string? target, TextWriter output)
    {
        string reference = LanguageReference.Write();
        if (target is null)
        {
            output.Write(reference);
        }
        else
        {
            File.WriteAllText(target, reference);
            output.WriteLine("Wrote " + target);
        }

        return GeoDslCommandLine.Success;
    }
}
