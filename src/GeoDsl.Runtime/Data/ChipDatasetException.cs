using System;

namespace GeoDsl.Runtime.Data;

/// <summary>A chip data set's files do not fit together. The message names both files of the pair and the fix.</summary>
public sealed class ChipDatasetException : Exception
{
    public ChipDatasetException(string message, string? imagePath = null, string? maskPath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ImagePath = imagePath;
        MaskPath = maskPath;
    }

    public string? ImagePath { get; }

    public string? MaskPath { get; }
}
