using System.Diagnostics.CodeAnalysis;
using System.IO;
using GeoDsl.Composition;
using GeoDsl.Tooling.Reports;

namespace GeoDsl.Cli.Commands;

/// <summary>How every command that works on one model reports a file it cannot use.</summary>
internal static class CommandOutput
{
    /// <summary>Prints the selection's problem, if any; true with the model when there is none.</summary>
    public static bool Report(ModelSelection selection, TextWriter error, [NotNullWhen(true)] out ModelAnalysis? analysis)
    {
        analysis = selection.Analysis;
        foreach (string line in selection.Messages)
        {
            error.WriteLine(line);
        }

        return analysis is not null;
    }

    public static int ExitCode(ModelSelection selection) => selection.Problem switch
    {
        ModelSelectionProblem.None => GeoDslCommandLine.Success,
        ModelSelectionProblem.ModelErrors => GeoDslCommandLine.ModelErrors,
        _ => GeoDslCommandLine.UsageError,
    };
}
