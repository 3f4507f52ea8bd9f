using System;
using System.Threading;

namespace GeoDsl.Runtime.Training;

/// <summary>
/// Ctrl+C for a training run: the first press cancels the token (the run saves <c>last.ckpt</c> and returns at the next
/// step boundary) instead of killing the process; a second press ends the process as usual.
/// </summary>
public sealed class TrainingCancellation : IDisposable
{
    private readonly CancellationTokenSource source = new();

    private TrainingCancellation() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Token => source.Token;

    /// <summary>Starts listening for Ctrl+C; dispose to stop listening.</summary>
    public static TrainingCancellation OnCtrlC() => new();

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        Console.Error.WriteLine("Stopping at the next step (with a checkpoint when the run has an output folder); press Ctrl+C again to quit at once.");
        source.Cancel();
    }
}
