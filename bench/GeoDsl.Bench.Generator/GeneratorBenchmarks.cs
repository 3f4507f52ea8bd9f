using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace GeoDsl.Bench.Generator;

/// <summary>
/// The generator on a 200-file project: a cold run (a new driver, as when a project opens) and an incremental run
/// after one file changed (as on a keystroke), and the analyzers over the same files.
/// </summary>
public class GeneratorBenchmarks
{
    public const int FileCount = 200;

    private Workload _workload = null!;
    private GeneratorDriver _warm = null!;
    private GeneratorDriver _edited = null!;

    [GlobalSetup]
    public void Setup() => _workload = Workload.Create(FileCount);

    /// <summary>Nothing compiled before: the front end's process-wide cache of recent files is emptied.</summary>
    [IterationSetup(Targets = new[] { nameof(ColdRun), nameof(AnalyzersOverAllFiles) })]
    public void ForgetCompiledFiles() => GeoDsl.Composition.RecentFileAnalyses.Clear();

    /// <summary>Every file's steps and sources computed from nothing.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver ColdRun() => _workload.CreateDriver().RunGenerators(_workload.Compilation);

    [IterationSetup(Target = nameof(IncrementalRunAfterOneEdit))]
    public void WarmDriverWithOneEdit()
    {
        GeoDsl.Composition.RecentFileAnalyses.Clear();
        _warm = _workload.CreateDriver().RunGenerators(_workload.Compilation);
        var (old, edited) = _workload.EditOne(FileCount / 2);
        _edited = _warm.ReplaceAdditionalText(old, edited);
    }

    /// <summary>The run after one file's edit: only that file's steps should be redone.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalRunAfterOneEdit() => _edited.RunGenerators(_workload.Compilation);

    [IterationSetup(Target = nameof(RunWithNothingChanged))]
    public void WarmDriver()
    {
        GeoDsl.Composition.RecentFileAnalyses.Clear();
        _warm = _workload.CreateDriver().RunGenerators(_workload.Compilation);
    }

    /// <summary>
    /// The driver run again on the same inputs: no transform of the generator is called, so this is Roslyn's own
    /// walk over the pipeline's per-file tables, the floor under any incremental run.
    /// </summary>
    [Benchmark]
    public GeneratorDriver RunWithNothingChanged() => _warm.RunGenerators(_workload.Compilation);

    /// <summary>Both analyzers over all files, nothing compiled before (the .geomodel analyzer compiles the project's files once per compilation).</summary>
    [Benchmark]
    public int AnalyzersOverAllFiles() => RunAnalyzers();

    /// <summary>As in a build: the generator has just compiled every file, then the analyzers run.</summary>
    [IterationSetup(Target = nameof(AnalyzersAfterTheGenerator))]
    public void RunTheGeneratorFirst()
    {
        GeoDsl.Composition.RecentFileAnalyses.Clear();
        _workload.CreateDriver().RunGenerators(_workload.Compilation);
    }

    /// <summary>Both analyzers over all files right after the generator's run, whose compiled files they reuse.</summary>
    [Benchmark]
    public int AnalyzersAfterTheGenerator() => RunAnalyzers();

    private int RunAnalyzers() => _workload.WithAnalyzers(_workload.Files).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
}
