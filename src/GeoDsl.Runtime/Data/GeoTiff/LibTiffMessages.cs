using System;
using System.Collections.Generic;
using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>
/// Captures LibTiff.NET's errors and warnings instead of letting it print them to stderr.
/// LibTiff.NET has one process-wide handler, so the handler installed here routes each message to the
/// scope open on the calling thread (LibTiff.NET calls the handler synchronously on the thread that called it).
/// The reader and writer turn captured errors into <see cref="GeoTiffException"/>s; warnings are kept for
/// inspection and never printed.
/// </summary>
internal static class LibTiffMessages
{
    private static readonly object InstallLock = new();
    private static RoutingHandler? installedHandler;

    [ThreadStatic]
    private static Scope? currentScope;

    /// <summary>Starts capturing messages on this thread until the returned scope is disposed.</summary>
    public static Scope Capture()
    {
        EnsureInstalled();
        var scope = new Scope(currentScope);
        currentScope = scope;
        return scope;
    }

    private static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (installedHandler is null)
            {
                installedHandler = new RoutingHandler();
                installedHandler.Previous = Tiff.SetErrorHandler(installedHandler);
            }
        }
    }

    private static string Format(string method, string format, object[] args)
    {
        string text;
        try
        {
            text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        }
        catch (FormatException)
        {
            text = format;
        }

        return string.IsNullOrEmpty(method) ? text : $"{method}: {text}";
    }

    /// <summary>Messages LibTiff.NET reported on one thread while the scope was open.</summary>
    internal sealed class Scope : IDisposable
    {
        private readonly Scope? parent;
        private readonly List<string> errors = new();
        private readonly List<string> warnings = new();

        internal Scope(Scope? parent)
        {
            this.parent = parent;
        }

        public IReadOnlyList<string> Errors => errors;

        public IReadOnlyList<string> Warnings => warnings;

        public bool HasErrors => errors.Count > 0;

        /// <summary>The errors so far, one per line, for an exception message.</summary>
        public string DescribeErrors() => string.Join("; ", errors);

        /// <summary>Forgets the errors captured so far (after they have been reported).</summary>
        public void ClearErrors() => errors.Clear();

        internal void AddError(string message) => errors.Add(message);

        internal void AddWarning(string message) => warnings.Add(message);

        public void Dispose() => currentScope = parent;
    }

    private sealed class RoutingHandler : TiffErrorHandler
    {
        public TiffErrorHandler? Previous { get; set; }

        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (currentScope is { } scope)
            {
                scope.AddError(Format(method, format, args));
            }
            else
            {
                // Not ours: behave as LibTiff.NET would have without us.
                (Previous ?? new TiffErrorHandler()).ErrorHandler(tif, method, format, args);
            }
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (currentScope is { } scope)
            {
                scope.AddWarning(Format(method, format, args));
            }
            else if (Previous is not null)
            {
                Previous.WarningHandler(tif, method, format, args);
            }

            // Without a previous handler, warnings stay quiet: GeoTIFF tags alone make LibTiff.NET warn.
        }
    }
}
