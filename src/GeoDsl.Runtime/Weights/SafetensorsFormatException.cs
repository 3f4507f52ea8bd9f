using System;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// A .safetensors file breaks one of the format's rules. The message names the file, the tensor
/// (where one is at fault), what is wrong and how to fix it.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string filePath, string? tensorName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The file as it was given to the reader.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the problem is the file as a whole (its length, its JSON).</summary>
    public string? TensorName { get; }
}
