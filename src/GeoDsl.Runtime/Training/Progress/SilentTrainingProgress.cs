using System;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>Shows nothing; used for <see cref="TrainingProgressMode.Off"/> (tests, embedding in other tools).</summary>
internal sealed class SilentTrainingProgress : ITrainingProgress, IEpochProgress
{
    public void Note(string message)
    {
    }

    public void RunEpoch(int epoch, int epochs, int trainingSamples, int validationSamples, Action<IEpochProgress> work) => work(this);

    public void EpochCompleted(EpochSummary summary)
    {
    }

    public void Trained(int samples, double runningLoss)
    {
    }

    public void Validated(int samples)
    {
    }
}
