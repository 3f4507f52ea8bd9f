using System;

namespace GeoDsl.Runtime.Training.Progress;

/// <summary>Where a training run reports as it goes: a live display, plain lines, or nowhere.</summary>
internal interface ITrainingProgress
{
    /// <summary>A one-off remark about the run (a setting that could not be honoured, where files go).</summary>
    void Note(string message);

    /// <summary>Runs one epoch's work while showing its progress over the training and validation chips.</summary>
    void RunEpoch(int epoch, int epochs, int trainingSamples, int validationSamples, Action<IEpochProgress> work);

    /// <summary>The epoch's line: losses, held-out scores, speed.</summary>
    void EpochCompleted(EpochSummary summary);
}

/// <summary>The progress of one epoch, advanced by the trainer after each step.</summary>
internal interface IEpochProgress
{
    /// <summary>A training step on <paramref name="samples"/> chips finished; <paramref name="runningLoss"/> is the epoch's mean so far.</summary>
    void Trained(int samples, double runningLoss);

    /// <summary>A validation step on <paramref name="samples"/> chips finished.</summary>
    void Validated(int samples);
}
