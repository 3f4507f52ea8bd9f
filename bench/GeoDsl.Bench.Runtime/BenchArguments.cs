using System;
using System.Collections.Generic;
using System.Globalization;

namespace GeoDsl.Bench.Runtime;

/// <summary>A wrong command line: the message says which argument and what it takes.</summary>
public sealed class BenchUsageException(string message) : Exception(message);

/// <summary>The bench's command line: a command, then <c>--name value</c> pairs.</summary>
public sealed record BenchArguments(string Command, IReadOnlyDictionary<string, string> Values)
{
    public string Model => Text("model");

    public int Threads => Number("threads", 1);

    public int Batch => Number("batch", 1);

    public int Warmup => Number("warmup", 1);

    public int Steps => Number("steps", 3);

    public string Output => Text("out");

    public string Text(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new BenchUsageException($"Missing --{name}.");

    public int Number(string name, int fallback)
    {
        if (!Values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new BenchUsageException($"--{name} takes a whole number ≥ 0; got '{text}'.");
    }

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new BenchUsageException("No command given.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new BenchUsageException($"Expected '--name value' at '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new BenchArguments(args[0], values);
    }
}
