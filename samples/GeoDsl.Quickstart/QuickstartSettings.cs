using System;
using System.Globalization;
using System.IO;

namespace GeoDsl.Quickstart;

/// <summary>
/// What the quickstart can be told, from the command line first and environment variables second:
/// <c>--cache DIR</c> (GEODSL_QUICKSTART_CACHE), <c>--output DIR</c> (GEODSL_QUICKSTART_OUTPUT), <c>--epochs N</c>,
/// <c>--threads N</c>, <c>--require-miou X</c>.
/// </summary>
internal sealed record QuickstartSettings(string CacheFolder, string OutputFolder, int? Epochs, int Threads, double? RequiredMeanIoU)
{
    public const string Usage =
        "usage: dotnet run --project samples/GeoDsl.Quickstart [-- [--cache DIR] [--output DIR] [--epochs N] [--threads N] [--require-miou X]]\n" +
        "  --cache DIR         where the synthetic scenes are written once (default $GEODSL_QUICKSTART_CACHE, else $XDG_CACHE_HOME/geodsl/quickstart, else ~/.cache/geodsl/quickstart)\n" +
        "  --output DIR        where the weights, history and pictures go (default $GEODSL_QUICKSTART_OUTPUT, else ./artifacts/quickstart)\n" +
        "  --epochs N          train N epochs instead of the model's train block value\n" +
        "  --threads N         CPU threads for TorchSharp (default: 1 on machines with 2 cores or fewer, else half the cores, at most 4)\n" +
        "  --require-miou X    exit with code 3 unless the best held-out mIoU reaches X (for CI)";

    public static QuickstartSettings Parse(string[] args)
    {
        string? cache = Environment.GetEnvironmentVariable("GEODSL_QUICKSTART_CACHE");
        string? output = Environment.GetEnvironmentVariable("GEODSL_QUICKSTART_OUTPUT");
        int? epochs = null;
        int? threads = null;
        double? required = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new QuickstartUsageException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--cache":
                    cache = Value();
                    break;
                case "--output":
                    output = Value();
                    break;
                case "--epochs":
                    epochs = PositiveInt("--epochs", Value());
                    break;
                case "--threads":
                    threads = PositiveInt("--threads", Value());
                    break;
                case "--require-miou":
                    required = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r is >= 0 and <= 1
                        ? r
                        : throw new QuickstartUsageException("--require-miou takes a number from 0 to 1.");
                    break;
                case "-h" or "--help":
                    throw new QuickstartUsageException(null);
                default:
                    throw new QuickstartUsageException($"Unknown argument '{args[i]}'.");
            }
        }

        return new QuickstartSettings(
            Path.GetFullPath(string.IsNullOrWhiteSpace(cache) ? DefaultCacheFolder() : cache),
            Path.GetFullPath(string.IsNullOrWhiteSpace(output) ? Path.Combine("artifacts", "quickstart") : output),
            epochs,
            threads ?? DefaultThreads(Environment.ProcessorCount),
            required);
    }

    /// <summary>
    /// The quickstart's model is tiny: its operations are too small to split well across many threads, and on a
    /// machine whose cores are also busy with other work a thread that waits for a core stalls every operation
    /// (on a shared 2-core machine, 2 threads ran several times slower than 1). So: 1 thread up to 2 cores, else half
    /// the cores, at most 4.
    /// </summary>
    public static int DefaultThreads(int cores) => cores <= 2 ? 1 : Math.Min(4, cores / 2);

    /// <summary>The XDG base-directory convention on Linux and macOS, the local application data folder on Windows.</summary>
    private static string DefaultCacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "geodsl", "quickstart");
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "geodsl", "quickstart");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "geodsl", "quickstart");
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new QuickstartUsageException($"{name} takes a whole number above 0, not '{text}'.");
}
