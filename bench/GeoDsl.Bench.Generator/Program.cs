using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GeoDsl.Bench.Generator;
using Microsoft.CodeAnalysis;

// bench/generator/run.sh → dotnet run -c Release --project bench/GeoDsl.Bench.Generator -- <output.md>
string output = args.Length > 0 ? args[0] : Path.Combine(Workload.RepositoryRoot(), "bench", "generator", "RESULTS.md");

// In-process: no separate project to build; one invocation per iteration because the incremental case needs a
// fresh warm driver each time. 30 warm-ups: with one call per iteration, two left the incremental path's code at
// the JIT's first tier (4-5 ms against 1-2 ms once tiered up); an IDE that runs the generator on every keystroke
// runs it tiered up.
const int warmups = 30;
var config = ManualConfig.CreateMinimumViable()
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(warmups).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<GeneratorBenchmarks>(config);

double Median(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median / 1e6;
double cold = Median(nameof(GeneratorBenchmarks.ColdRun));
double incremental = Median(nameof(GeneratorBenchmarks.IncrementalRunAfterOneEdit));
double unchanged = Median(nameof(GeneratorBenchmarks.RunWithNothingChanged));
double analyzers = Median(nameof(GeneratorBenchmarks.AnalyzersOverAllFiles));
double analyzersAfterGenerator = Median(nameof(GeneratorBenchmarks.AnalyzersAfterTheGenerator));
int n = GeneratorBenchmarks.FileCount;

// The proof of what was reused: the tracked steps' run reasons of one incremental run.
var workload = Workload.Create(n);
var warm = workload.CreateDriver(trackSteps: true).RunGenerators(workload.Compilation);
var (old, edited) = workload.EditOne(n / 2);
var result = warm.ReplaceAdditionalText(old, edited).RunGenerators(workload.Compilation).GetRunResult().Results.Single();
var reasons = result.TrackedSteps.Concat(result.TrackedOutputSteps)
    .OrderBy(p => p.Key, StringComparer.Ordinal)
    .Select(p => (Step: p.Key, Counts: p.Value.SelectMany(run => run.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")))
    .ToList();

var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
md.AppendLine("# Generator and analyzers: cold vs incremental").AppendLine();
md.AppendLine("Written by `bench/generator/run.sh`; rerun it rather than editing this file.").AppendLine();
md.AppendLine(inv, $"- Date: {DateTime.UtcNow:yyyy-MM-dd}; machine: {Environment.OSVersion}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
md.AppendLine(inv, $"- Workload: {n} `.geomodel` files (the reference models of `models/`, renamed), one C# file; BenchmarkDotNet in-process, 15 iterations after {warmups} warm-ups, one invocation each; medians. Timed drivers do not track steps (as in the IDE); a separate tracked run gives the reasons below.");
string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
md.AppendLine(inv, $"- Load average (1 min) at the end of the run: {load}; other builds may share the cores, so compare the ratios, which come from one process.");
md.AppendLine().AppendLine("| Measure | Median | Per file |").AppendLine("|---|---|---|");
md.AppendLine(inv, $"| Cold generator run ({n} files) | {cold:F1} ms | {cold / n:F2} ms |");
md.AppendLine(inv, $"| Incremental run after editing 1 file | {incremental:F2} ms | |");
md.AppendLine(inv, $"| Run with nothing changed (Roslyn's walk over the {n} files' tables; no GeoDsl code runs) | {unchanged:F2} ms | {unchanged / n * 1000:F1} µs |");
md.AppendLine(inv, $"| Analyzers over all {n} files, nothing compiled before | {analyzers:F1} ms | {analyzers / n:F2} ms |");
md.AppendLine(inv, $"| Analyzers over all {n} files right after the generator (as in a build: its compiled files reused) | {analyzersAfterGenerator:F1} ms | {analyzersAfterGenerator / n:F2} ms |");
md.AppendLine().AppendLine(inv, $"**Incremental / cold = {incremental / cold:F4} (1/{cold / incremental:F0}); goal ≤ 1/50.** Of the incremental run, {unchanged:F2} ms is the driver's walk with nothing changed (1/{cold / unchanged:F0} of cold) and {incremental - unchanged:F2} ms the edited file's work: its front end, its class emitted, and Roslyn parsing that class.").AppendLine();
md.AppendLine("Run reasons of the tracked steps in one incremental run (what was reused):").AppendLine();
md.AppendLine("| Step | Outputs by reason |").AppendLine("|---|---|");
foreach (var (step, counts) in reasons)
{
    md.AppendLine(inv, $"| {step} | {string.Join(", ", counts)} |");
}

File.WriteAllText(output, md.ToString());
Console.WriteLine(md.ToString());
Console.WriteLine("wrote " + output);

// Which edit costs what: the incremental run after editing each reference model (one file of each kind), and that
// model compiled alone by the front end (parse, bind, shapes, counts, memory), medians of 9 Stopwatch runs.
var perModel = new StringBuilder();
perModel.AppendLine().AppendLine("Incremental run by edited model (Stopwatch, medians of 9), and the front end alone on that file:").AppendLine();
perModel.AppendLine("| Edited model | Incremental run | Front end (`GeoModelCompiler.Compile`) |").AppendLine("|---|---|---|");
int kinds = Directory.GetFiles(Path.Combine(Workload.RepositoryRoot(), "models"), "*.geomodel").Length;
for (int index = 0; index < kinds; index++)
{
    var runs = new List<double>();
    var frontEnd = new List<double>();
    var (before, after) = workload.EditOne(index);
    for (int rep = 0; rep < 9; rep++)
    {
        // The edited text must be new to the front end's cache of recent files, as a real edit is.
        GeoDsl.Composition.RecentFileAnalyses.Clear();
        var driver = workload.CreateDriver().RunGenerators(workload.Compilation).ReplaceAdditionalText(before, after);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        driver.RunGenerators(workload.Compilation);
        runs.Add(watch.Elapsed.TotalMilliseconds);
        GeoDsl.Composition.RecentFileAnalyses.Clear();
        watch.Restart();
        GeoDsl.Composition.GeoModelCompiler.Compile(after.Path, after.GetText()!.ToString());
        frontEnd.Add(watch.Elapsed.TotalMilliseconds);
    }

    double MedianOf(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
    perModel.AppendLine(inv, $"| {Path.GetFileName(before.Path)} | {MedianOf(runs):F2} ms | {MedianOf(frontEnd):F2} ms |");
}

File.AppendAllText(output, perModel.ToString());
Console.WriteLine(perModel.ToString());

// Steady state, as in an IDE that has run the generator for a while: 120 rounds of (a new driver's run, the run after
// editing the middle file, the run with nothing changed), medians of the last 60, so every path is past the JIT's
// first tier; and a comment-only edit of the same file, which separates carrying a changed input through the pipeline
// from generating the changed model's class.
var steady = new StringBuilder();
steady.AppendLine().AppendLine("Steady state (Stopwatch, 120 rounds, medians of the last 60):").AppendLine();
steady.AppendLine("| Measure | Median |").AppendLine("|---|---|");
var coldRuns = new List<double>();
var editRuns = new List<double>();
var unchangedRuns = new List<double>();
var commentRuns = new List<double>();
var (middle, middleEdited) = workload.EditOne(n / 2);
var (_, middleCommented) = workload.CommentOne(n / 2);
for (int round = 0; round < 120; round++)
{
    GeoDsl.Composition.RecentFileAnalyses.Clear();
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var warmDriver = workload.CreateDriver().RunGenerators(workload.Compilation);
    coldRuns.Add(watch.Elapsed.TotalMilliseconds);
    var editedDriver = warmDriver.ReplaceAdditionalText(middle, middleEdited);
    watch.Restart();
    editedDriver.RunGenerators(workload.Compilation);
    editRuns.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    warmDriver.RunGenerators(workload.Compilation);
    unchangedRuns.Add(watch.Elapsed.TotalMilliseconds);
    var commentedDriver = warmDriver.ReplaceAdditionalText(middle, middleCommented);
    watch.Restart();
    commentedDriver.RunGenerators(workload.Compilation);
    commentRuns.Add(watch.Elapsed.TotalMilliseconds);
}

double SteadyMedian(List<double> xs) => xs.Skip(60).Order().ElementAt(30);
double steadyCold = SteadyMedian(coldRuns), steadyEdit = SteadyMedian(editRuns), steadyUnchanged = SteadyMedian(unchangedRuns), steadyComment = SteadyMedian(commentRuns);
steady.AppendLine(inv, $"| Cold generator run ({n} files) | {steadyCold:F2} ms |");
steady.AppendLine(inv, $"| Run after editing {Path.GetFileName(middle.Path)} | {steadyEdit:F2} ms |");
steady.AppendLine(inv, $"| Run after a comment appended to that file (its front end runs again; no model changes, nothing is emitted) | {steadyComment:F2} ms |");
steady.AppendLine(inv, $"| Run with nothing changed | {steadyUnchanged:F2} ms |");
steady.AppendLine().AppendLine(inv, $"Steady-state incremental / cold = {steadyEdit / steadyCold:F4} (1/{steadyCold / steadyEdit:F0}). Of the edit's {steadyEdit:F2} ms: {steadyUnchanged:F2} ms the driver's walk with nothing changed, {steadyComment - steadyUnchanged:F2} ms a changed input carried through the pipeline (the file's front end included), {steadyEdit - steadyComment:F2} ms the renamed model's new target, claim and class.");
File.AppendAllText(output, steady.ToString());
Console.WriteLine(steady.ToString());
