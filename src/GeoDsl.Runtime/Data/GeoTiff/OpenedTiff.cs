using System;
using System.IO;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>An open LibTiff.NET handle plus the messages it reports, closed together.</summary>
internal sealed class OpenedTiff : IDisposable
{
    private OpenedTiff(string path, Tiff tiff, LibTiffMessages.Scope messages)
    {
        Path = path;
        Tiff = tiff;
        Messages = messages;
    }

    public string Path { get; }

    public Tiff Tiff { get; }

    public LibTiffMessages.Scope Messages { get; }

    public static OpenedTiff Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new GeoTiffException(path, $"GeoTIFF '{path}' does not exist. Check the path (relative paths start at '{Environment.CurrentDirectory}').");
        }

        GeoTiffTags.EnsureRegistered();
        var messages = LibTiffMessages.Capture();
        Tiff? tiff;
        try
        {
            tiff = Tiff.Open(path, "r");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            messages.Dispose();
            throw new GeoTiffException(path, $"GeoTIFF '{path}' cannot be opened: {error.Message}", error);
        }

        if (tiff is null)
        {
            string cause = messages.HasErrors ? messages.DescribeErrors() : "LibTiff.NET gave no reason";
            messages.Dispose();
            throw new GeoTiffException(path,
                $"'{path}' is not a readable TIFF ({cause}). The file is damaged, cut short or not a TIFF; fetch or export it again.");
        }

        var opened = new OpenedTiff(path, tiff, messages);
        try
        {
            opened.ThrowIfErrors("opening it");
        }
        catch
        {
            opened.Dispose();
            throw;
        }

        return opened;
    }

    public void ThrowIfErrors(string stage)
    {
        if (Messages.HasErrors)
        {
            string errors = Messages.DescribeErrors();
            Messages.ClearErrors();
            throw new GeoTiffException(Path,
                $"GeoTIFF '{Path}' failed while {stage}: {errors}. The file is damaged or uses a TIFF feature GeoDsl does not read; " +
                "re-export it with gdal_translate -co COMPRESS=DEFLATE.");
        }
    }

    public void Dispose()
    {
        Tiff.Dispose();
        Messages.Dispose();
    }
}
