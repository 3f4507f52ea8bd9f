using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>
/// Progress as ordinary lines, for logs and CI where a redrawn bar would print hundreds of frames: at most one progress
/// line every <see cref="Interval"/> within an epoch, and the epoch line at its end.
/// </summary>
internal sealed class PlainTrainingProgress : ITrainingProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly TextWriter output;

    public PlainTrainingProgress(TextWriter output) => this.output = output;

    public void Note(string message) => output.WriteLine(message);

    public void RunEpoch(int epoch, int epochs, int trainingSamples, int validationSamples, Action<IEpochProgress> work) =>
        work(new EpochLines(output, epoch, epochs, trainingSamples + validationSamples));

    public void EpochCompleted(EpochSummary summary)
    {
        output.WriteLine(EpochLine.Format(summary));
        output.Flush();
    }

    private sealed class EpochLines : IEpochProgress
    {
        private readonly TextWriter output;
        private readonly int epoch;
        private readonly int epochs;
        private readonly int total;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan lastLine;
        private int done;
        private double loss = double.NaN;

        public EpochLines(TextWriter output, int epoch, int epochs, int total)
        {
            this.output = output;
            this.epoch = epoch;
            this.epochs = epochs;
            this.total = total;
        }

        public void Trained(int samples, double runningLoss)
        {
            loss = runningLoss;
            Advance(samples);
        }

        public void Validated(int samples) => Advance(samples);

        private void Advance(int samples)
        {
            done += samples;
            var now = clock.Elapsed;
            if (now - lastLine < Interval || done >= total)
            {
                return;
            }

            lastLine = now;
            double rate = done / Math.Max(now.TotalSeconds, 1e-9);
            var remaining = TimeSpan.FromSeconds((total - done) / Math.Max(rate, 1e-9));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{epochs}: {100.0 * done / total:F0}% ({done}/{total} samples), {rate:F1} samples/s, ETA {remaining:m\\:ss}, loss {loss:F4}"));
            output.Flush();
        }
    }
}
