using System;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// A GeoTIFF could not be read or written. The message names the file, the place (band, tile, strip, row)
/// and what to do about it.
/// </summary>
public sealed class GeoTiffException : Exception
{
    public GeoTiffException(string filePath, string message)
        : base(message)
    {
        FilePath = filePath;
    }

    public GeoTiffException(string filePath, string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file the problem is in.</summary>
    public string FilePath { get; }
}
