using System;

namespace GeoDsl.Runtime.Training;

/// <summary>A training run cannot start or cannot go on: bad settings for this model and data, or a loss that diverged.</summary>
public sealed class TrainingException : Exception
{
    public TrainingException(string message)
        : base(message)
    {
    }

    public TrainingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
