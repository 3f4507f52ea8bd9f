using System;
using System.Collections.Generic;
using GeoDsl.Composition.Options;

namespace GeoDsl.Composition;

/// <summary>
/// The last few hundred results of <see cref="GeoModelCompiler.Compile"/>, by path, text and options, for the whole
/// process. In a build the generator compiles every <c>.geomodel</c> file and the analyzers then compile the same
/// files again (Roslyn gives them no shared result); from one package folder both load one copy of this assembly,
/// so the analyzers find the generator's results here instead. The results are immutable values and depend on
/// nothing else (the built-in catalog is static; custom components are part of the options), so a hit is exactly
/// what compiling again would give.
/// </summary>
public static class RecentFileAnalyses
{
    /// <summary>
    /// A few hundred files of a few KiB each: every file of a large project, while an IDE session that edits one
    /// file through many versions cannot grow it without bound.
    /// </summary>
    public const int Capacity = 512;

    private static readonly object Gate = new();
    private static readonly Dictionary<(string Path, string Text, CompileOptions Options), FileAnalysis> Analyses = new();
    private static readonly Queue<(string Path, string Text, CompileOptions Options)> Order = new();

    /// <summary>The analysis of this text at this path under these options, compiled once.</summary>
    public static FileAnalysis GetOrCompile(string path, string text, CompileOptions options, Func<FileAnalysis> compile)
    {
        // A value tuple compares strings ordinally and the options record by value.
        var key = (path, text, options);
        lock (Gate)
        {
            if (Analyses.TryGetValue(key, out var known))
            {
                return known;
            }
        }

        // Compiled outside the lock: two callers with the same file may both compile it; both get equal results.
        var analysis = compile();
        lock (Gate)
        {
            if (!Analyses.ContainsKey(key))
            {
                if (Analyses.Count >= Capacity)
                {
                    Analyses.Remove(Order.Dequeue());
                }

                Analyses[key] = analysis;
                Order.Enqueue(key);
            }
        }

        return analysis;
    }

    /// <summary>How many analyses are kept now.</summary>
    public static int Count
    {
        get
        {
            lock (Gate)
            {
                return Analyses.Count;
            }
        }
    }

    /// <summary>Forgets every analysis (benchmarks that time compiling from nothing call this between runs).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Analyses.Clear();
            Order.Clear();
        }
    }
}
