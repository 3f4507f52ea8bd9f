using System.CommandLine;
using System.IO;

namespace GeoDsl.Cli.Commands;

/// <summary>
/// The <c>geodsl</c> commands. Exit codes: 0 success, 1 the models have errors, 2 bad usage or unreadable input,
/// 3 a training run that completed no epoch.
/// </summary>
public static class GeoDslCommandLine
{
    public const int Success = 0;
    public const int ModelErrors = 1;
    public const int UsageError = 2;
    public const int RunFailed = 3;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("GeoDsl: compose geospatial foundation models and check them before the run.");
        root.Subcommands.Add(CheckCommand.Create(output, error));
        root.Subcommands.Add(DescribeCommand.Create(output, error));
        root.Subcommands.Add(CatalogCommand.Create(output));
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(PredictCommand.Create(output, error));
        root.Subcommands.Add(TerraTorchCommands.Export(output, error));
        // One 'import' command: 'import terratorch' and 'import hf'.
        var import = TerraTorchCommands.Import(output, error);
        import.Subcommands.Add(ImportHfCommand.Create(output, error));
        root.Subcommands.Add(import);
        root.Subcommands.Add(NewCommand.Create(output, error));
        root.Subcommands.Add(DocsCommand.Create(output));
        var parsed = root.Parse(args);
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
