using System;
using Spectre.Console;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>Picks the display a <see cref="TrainingProgressMode"/> asks for.</summary>
internal static class TrainingProgressDisplays
{
    public static ITrainingProgress Create(TrainingProgressMode mode) => mode switch
    {
        TrainingProgressMode.Off => new SilentTrainingProgress(),
        TrainingProgressMode.Plain => new PlainTrainingProgress(Console.Out),
        TrainingProgressMode.Live => new LiveTrainingProgress(AnsiConsole.Console),
        _ => IsInteractiveTerminal() ? new LiveTrainingProgress(AnsiConsole.Console) : new PlainTrainingProgress(Console.Out),
    };

    // A redrawn bar only makes sense on a terminal someone watches; redirected output (CI logs, files, pipes) gets lines.
    private static bool IsInteractiveTerminal() =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
}
