using GeoDsl.Cli.Commands;

namespace GeoDsl.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    public static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "models", name);

    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = GeoDslCommandLine.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a temporary .geomodel file.</summary>
    public static string TempModel(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "geodsl-cli-" + Guid.NewGuid().ToString("N") + ".geomodel");
        File.WriteAllText(path, text);
        return path;
    }
}
