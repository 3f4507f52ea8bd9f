using System;
using System.CommandLine;
using System.IO;
using System.Reflection;
using GeoDsl.Tooling.Scaffolding;

namespace GeoDsl.Cli.Commands;

/// <summary><c>geodsl new &lt;Name&gt;</c>: a console project with one model, referencing the GeoDsl package of this tool's version.</summary>
internal static class NewCommand
{
    /// <summary>The TorchSharp backend version GeoDsl.Runtime is built against (TorchSharp and its backends share versions).</summary>
    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.107.0";

    /// <summary>This tool's package version, without the source revision the SDK appends.</summary>
    public static string GeoDslVersion
    {
        get
        {
            string version = typeof(NewCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
            int plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version[..plus];
        }
    }

    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("name") { Description = "Project and model name, e.g. WaterMapper" };
        var folder = new Option<string?>("--output", "-o") { Description = "Folder to create (default: ./<name>)" };
        var version = new Option<string?>("--geodsl-version") { Description = "GeoDsl package version to reference (default: this tool's)" };
        var command = new Command("new", "Create a project with a .geomodel file and a program that runs the generated model.") { name, folder, version };
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(folder), parse.GetValue(version), output, error));
        return command;
    }

    public static int Run(string name, string? folder, string? version, TextWriter output, TextWriter error)
    {
        if (ProjectScaffold.Problem(name) is { } problem)
        {
            error.WriteLine("geodsl: " + problem);
            return GeoDslCommandLine.UsageError;
        }

        string directory = folder ?? name;
        try
        {
            foreach (string path in ProjectScaffold.Write(directory, name, version ?? GeoDslVersion, TorchSharpVersion))
            {
                output.WriteLine("Created " + path);
            }
        }
        catch (IOException e)
        {
            error.WriteLine("geodsl: " + e.Message);
            return GeoDslCommandLine.UsageError;
        }

        output.WriteLine($"Next: cd {directory} && dotnet run");
        return GeoDslCommandLine.Success;
    }
}
