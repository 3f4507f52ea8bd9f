using System;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>
/// A Spectre.Console progress bar per epoch (running loss, throughput, elapsed time, ETA), cleared when the epoch ends
/// and replaced by the epoch line, so the terminal keeps one line per epoch.
/// </summary>
internal sealed class LiveTrainingProgress : ITrainingProgress
{
    private readonly IAnsiConsole console;

    public LiveTrainingProgress(IAnsiConsole console) => this.console = console;

    public void Note(string message) => console.MarkupLine("[grey]" + Markup.Escape(message) + "[/]");

    public void RunEpoch(int epoch, int epochs, int trainingSamples, int validationSamples, Action<IEpochProgress> work)
    {
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .ExcludeVerticalPadding(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new SamplesPerSecondColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Describe(epoch, epochs, "training", double.NaN), maxValue: Math.Max(1, trainingSamples + validationSamples));
                work(new EpochBar(task, epoch, epochs));
                task.Value = task.MaxValue;
                task.StopTask();
            });
    }

    public void EpochCompleted(EpochSummary summary)
    {
        string line = Markup.Escape(EpochLine.Format(summary));
        console.MarkupLine(summary.IsBest ? "[green]" + line + "[/]" : line);
    }

    private static string Describe(int epoch, int epochs, string phase, double loss) =>
        double.IsNaN(loss)
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs} {phase}")
            : string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs} {phase} loss {loss:F4}");

    private sealed class EpochBar : IEpochProgress
    {
        private readonly ProgressTask task;
        private readonly int epoch;
        private readonly int epochs;
        private bool validating;

        public EpochBar(ProgressTask task, int epoch, int epochs)
        {
            this.task = task;
            this.epoch = epoch;
            this.epochs = epochs;
        }

        public void Trained(int samples, double runningLoss)
        {
            task.Description = Describe(epoch, epochs, "training", runningLoss);
            task.Increment(samples);
        }

        public void Validated(int samples)
        {
            if (!validating)
            {
                validating = true;
                task.Description = Describe(epoch, epochs, "validating", double.NaN);
            }

            task.Increment(samples);
        }
    }

    /// <summary>The task's speed as chips per second (Spectre's own speed column formats bytes).</summary>
    private sealed class SamplesPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.Speed is double speed
                ? new Text(string.Create(CultureInfo.InvariantCulture, $"{speed,6:F1} samples/s"), new Style(Color.Grey))
                : new Text("      – samples/s", new Style(Color.Grey));
    }
}
